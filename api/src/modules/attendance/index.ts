/** Attendance: whether each member came to each session, recorded by the group's therapists. */
export { AttendanceEntity } from './attendance.entity.js';
export { attendanceLoaders } from './attendance.loaders.js';
export { AttendanceResolver, MemberAttendanceResolver, SessionAttendanceResolver } from './attendance.resolver.js';
