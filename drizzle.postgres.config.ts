import { defineConfig } from 'drizzle-kit';

// The PostgreSQL schema and its migrations (drizzle.config.ts: the SQLite ones).
// `npm run db:generate:postgres -- --name <what>` after a change to src/lib/server/db/postgres/schema.ts.
export default defineConfig({
	schema: './src/lib/server/db/postgres/schema.ts',
	out: './drizzle/postgres',
	dialect: 'postgresql'
});
