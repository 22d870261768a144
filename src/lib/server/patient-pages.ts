/**
 * What the patient and episode pages call, from one module: the build merges chunks under 8 KB
 * (vite.config.ts), and a small chunk shared by several of these routes in different sets would
 * be merged into one route's entry, which SvelteKit refuses (a route file exports only its own).
 */
export { registerPatient, editPatient, searchPatients, shownQuery, SEARCH_LIMIT } from './registration';
export { startEpisode, recordTransition, endEpisode, reopenEpisode, episodeFromParam } from './episode-course';
export { recordAttempt, closeOutreachTask, outreachFromParam, outreachRows } from './outreach';
export * from './patient-forms';
export * from './patient-refusals';
export { registrationFormView, editPatientView, newEpisodeView } from './views/patient-forms';
export { episodePageView } from './views/episode-page';
export { endEpisodeView, hasDischargePlan } from './views/end-episode';
export { outreachPageView } from './views/outreach-page';
