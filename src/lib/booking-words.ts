import { m } from '$lib/paraglide/messages';
import type { AttendanceChange, SessionMode } from '$lib/domain/booking';

/** Each attendance change in the user's language (call the function at render time). */
export const attendanceChangeLabel = {
	scheduled: m.status_scheduled,
	attended: m.status_attended,
	no_show: m.status_no_show,
	cancelled_by_clinic: m.bk_change_cancelled_clinic,
	cancelled_in_time: m.bk_change_cancelled_in_time,
	cancelled_late: m.bk_change_cancelled_late
} as const satisfies Record<AttendanceChange, () => string>;

/** Each session type in the user's language. */
export const sessionModeLabel = {
	in_person: m.appt_mode_in_person,
	video: m.appt_mode_video,
	phone: m.appt_mode_phone
} as const satisfies Record<SessionMode, () => string>;
