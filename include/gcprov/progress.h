/*
 * gcprov/progress.h: how far an apply has got, reported through a
 * callback after every change, so that a program can show it as it
 * likes. The library itself never prints it.
 */
#ifndef GCPROV_PROGRESS_H
#define GCPROV_PROGRESS_H

#include <stddef.h>

#include "gcprov/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A snapshot of an apply's progress; every count is for this run. */
typedef struct gcp_progress {
    unsigned int version;
    size_t people_total;     /* people with at least one change to make */
    size_t people_done;      /* of them, those whose every change ended */
    size_t changes_total;    /* changes the plan asks for */
    size_t changes_done;     /* changes made */
    size_t changes_failed;   /* changes failed or skipped */
    unsigned long requests;  /* attempts sent, from the client */
    unsigned long retries;   /* attempts after a first */
    unsigned long throttled; /* 429 replies met */
    double rate_now;         /* requests per minute the client paces at */
    double rate_limit;       /* the limit in force, per minute */
    double elapsed;          /* seconds since the changes began */
    double remaining;        /* seconds left, estimated; -1 before any */
} gcp_progress;

#define GCP_PROGRESS_VERSION 1

/*
 * Called after each change ends, from the thread running the apply.
 * `progress` is borrowed for the call. It must return quickly: the next
 * request waits for it.
 */
typedef void (*gcp_progress_fn)(const gcp_progress *progress, void *payload);

#ifdef __cplusplus
}
#endif

#endif
