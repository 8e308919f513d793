/*
 * journal_lock.c: one writer per journal. A writer holds an exclusive
 * flock() on PATH.lock, next to the journal, for as long as it is open.
 * flock is chosen over SQLite's own locking because SQLite only locks for
 * the length of a transaction, while a run must own the journal from its
 * first intent to its last result; over fcntl() because fcntl locks belong
 * to a process, so two handles in one process would not exclude each
 * other. The kernel drops the lock when its holder dies, even by SIGKILL,
 * so a crash never leaves a stale lock. The holder writes its pid, host
 * and start time into the file so that the refused one can name it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal_int.h"

/* Reads who holds the lock as " (pid 12 on host ...)", or "". */
static void lock_holder(int fd, char *out, size_t size)
{
    char buf[256];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

    out[0] = '\0';
    if (n <= 0)
        return;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    snprintf(out, size, " (%s)", buf);
}

static void lock_describe_self(char *out, size_t size)
{
    char host[256] = "unknown";
    char when[32];
    time_t now = time(NULL);
    struct tm tm;

    if (gethostname(host, sizeof(host)) != 0)
        strcpy(host, "unknown");
    host[sizeof(host) - 1] = '\0';
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(out, size, "pid %ld on host '%s', started %s\n", (long)getpid(),
             host, when);
}

/* Writes this process as the holder; the lock file is advisory text. */
static int lock_write_self(gcp_journal *j, int fd)
{
    char line[512];
    size_t len;

    lock_describe_self(line, sizeof(line));
    len = strlen(line);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, len, 0) != (ssize_t)len)
        return gcp_err__set(&j->err, GCP_EIO, "could not write lock '%s': %s",
                            j->lock_path, strerror(errno));
    return 0;
}

static int lock_open(gcp_journal *j)
{
    size_t len = strlen(j->path) + sizeof(".lock");
    int fd;

    if ((j->lock_path = malloc(len)) == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    snprintf(j->lock_path, len, "%s.lock", j->path);
    fd = open(j->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return gcp_err__set(&j->err, GCP_EIO, "could not open lock '%s': %s",
                            j->lock_path, strerror(errno));
    if (fchmod(fd, 0600) != 0) {
        close(fd);
        return gcp_err__set(&j->err, GCP_EIO, "could not protect lock '%s': %s",
                            j->lock_path, strerror(errno));
    }
    return fd;
}

int gcp_journal__lock(gcp_journal *j)
{
    char holder[320];
    int fd = lock_open(j);

    if (fd < 0)
        return fd;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int busy = errno == EWOULDBLOCK;

        lock_holder(fd, holder, sizeof(holder));
        close(fd);
        if (busy)
            return gcp_err__set(&j->err, GCP_EBUSY,
                                "journal '%s' is in use by another "
                                "gcprov%s; wait for it to finish",
                                j->path, holder);
        return gcp_err__set(&j->err, GCP_EIO, "could not lock '%s': %s",
                            j->lock_path, strerror(errno));
    }
    j->lock_fd = fd;
    return lock_write_self(j, fd);
}

void gcp_journal__unlock(gcp_journal *j)
{
    if (j->lock_fd < 0)
        return;
    /* Forget the holder before letting go, so no one reads a stale one. */
    if (ftruncate(j->lock_fd, 0) != 0)
        gcp_log__emit(&j->log, GCP_LOG_DEBUG, "could not clear lock '%s'",
                      j->lock_path);
    close(j->lock_fd);
    j->lock_fd = -1;
}
