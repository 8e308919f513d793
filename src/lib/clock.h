/*
 * clock.h: the library's one clock for durations and deadlines.
 */
#ifndef GCP_CLOCK_H
#define GCP_CLOCK_H

/* Seconds on the monotonic clock, which jumps of the wall clock leave
 * alone: only differences mean anything. */
double gcp_clock__now(void);

#endif
