import type { Role } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages';

/** Each role's name in the viewer's language. */
export const roleName = { clinician: m.role_clinician, team_lead: m.role_team_lead, service_leader: m.role_service_leader, admin: m.role_admin } satisfies Record<Role, () => string>;
