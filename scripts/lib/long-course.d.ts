export function addLongCourse(path: string, options?: { sessions?: number; code?: string; now?: number }): number;
