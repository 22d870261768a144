import { m } from '$lib/paraglide/messages';

/** Appointment statuses in the user's language (call the function at render time). */
export const appointmentStatusLabel = {
	scheduled: m.status_scheduled,
	attended: m.status_attended,
	no_show: m.status_no_show,
	late_cancellation: m.status_late_cancellation,
	cancelled: m.status_cancelled
} as const;
