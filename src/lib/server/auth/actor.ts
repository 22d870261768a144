import type { Db } from '../db';
import { validateSessionToken, type SessionLimits } from './session';
import { activeHandoff } from '../tablet/handoff';
import { turnOf, type Actor } from '../context';
import { hasConfirmedTotp, secondFactorOwed } from './two-factor';

/**
 * Who a session cookie's token stands for: nobody (no such session, or it has ended), a staff
 * user, or — when the session row says it has handed the tablet over and that handoff is still
 * open — the tablet in patient mode, or, locked to one patient's together view, that view; a session that still owes its second factor is neither until
 * it is given. Only the session row decides; no other cookie is read. An administrator's session
 * that never gave one (made before two factors were required, or by a role change) owes it too.
 */
export function actorFromToken(db: Db, token: string, now: Date, limits?: SessionLimits): Actor {
	const result = validateSessionToken(db, token, now, limits);
	if (result.session === null) return { kind: 'anonymous' };
	const { user, session } = result;
	const state = session.secondFactor;
	if (secondFactorOwed(state)) return { kind: 'second-factor', user, session, owed: state };
	if (state === null && user.role === 'admin') return { kind: 'second-factor', user, session, owed: hasConfirmedTotp(db, user.id) ? 'pending' : 'enrol' };
	if (session.handoffId !== null) {
		const handoff = activeHandoff(db, session.handoffId, session.id);
		if (handoff !== null) return { kind: 'tablet', user, session, handoff, turn: turnOf(handoff) };
	}
	if (session.togetherPatientId !== null) return { kind: 'together', user, session, patientId: session.togetherPatientId };
	return { kind: 'staff', user, session, auth: { method: session.authMethod, at: session.createdAt, secondFactor: state } };
}
