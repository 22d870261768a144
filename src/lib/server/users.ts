import { eq } from 'drizzle-orm';
import type { Db } from './db';
import { users, type Locale } from './db/schema';

export function setPreferredLocale(db: Db, userId: number, locale: Locale): void {
	db.update(users).set({ preferredLocale: locale }).where(eq(users.id, userId)).run();
}
