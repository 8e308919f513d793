/*
 * secret.c: reading a secret from a file or a command. Nothing here logs:
 * messages name the file or the command's status, never the content.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "secret.h"
#include "wipe.h"

void gcp_secret__chomp(char *s)
{
    size_t len = strlen(s);

    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        s[--len] = '\0';
}

/*
 * Reads all of `fd` into a new string, at most GCP_SECRET_MAX bytes.
 * Returns 0, GCP_EIO (errno kept) or GCP_EINVALID (too long).
 */
static int secret_slurp(char **out, int fd)
{
    char *buf = calloc(1, GCP_SECRET_MAX + 2);
    size_t len = 0;
    ssize_t n;

    *out = NULL;
    if (buf == NULL)
        return GCP_ENOMEM;
    while (len <= GCP_SECRET_MAX &&
           (n = read(fd, buf + len, GCP_SECRET_MAX + 1 - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            gcp_wipe(buf, len);
            free(buf);
            return GCP_EIO;
        }
        len += (size_t)n;
    }
    if (len > GCP_SECRET_MAX) {
        gcp_wipe(buf, len);
        free(buf);
        return GCP_EINVALID;
    }
    gcp_secret__chomp(buf);
    *out = buf;
    return 0;
}

/* Checks the secret is there: an empty one is refused. */
static int secret_nonempty(char **secret, const char *what, struct gcp_err *err)
{
    if ((*secret)[0] != '\0')
        return 0;
    free(*secret);
    *secret = NULL;
    return gcp_err__set(err, GCP_EINVALID, "%s gave an empty secret", what);
}

static int secret_check_mode(int fd, const char *path, struct gcp_err *err)
{
    struct stat st;

    if (fstat(fd, &st) != 0)
        return gcp_err__set(err, GCP_EIO, "cannot inspect secret file '%s': %s",
                            path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return gcp_err__set(err, GCP_EINVALID,
                            "secret file '%s' is not a regular file", path);
    if (st.st_mode & (S_IRGRP | S_IROTH))
        return gcp_err__set(err, GCP_EINVALID,
                            "secret file '%s' can be read by its group or "
                            "others (mode %04o); run 'chmod 600 %s'",
                            path, (unsigned)(st.st_mode & 07777), path);
    return 0;
}

int gcp_secret__read_file(char **out, const char *path, struct gcp_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    *out = NULL;
    if (fd < 0)
        return gcp_err__set(err, GCP_EIO, "cannot open secret file '%s': %s",
                            path, strerror(errno));
    if ((rc = secret_check_mode(fd, path, err)) != 0)
        goto cleanup;
    rc = secret_slurp(out, fd);
    if (rc == GCP_EIO)
        gcp_err__set(err, rc, "cannot read secret file '%s': %s", path,
                     strerror(errno));
    else if (rc == GCP_EINVALID)
        gcp_err__set(err, rc, "secret file '%s' is longer than %d bytes", path,
                     GCP_SECRET_MAX);
    else if (rc == GCP_ENOMEM)
        gcp_err__set(err, rc, "out of memory");
    else
        rc = secret_nonempty(out, "the secret file", err);

cleanup:
    close(fd);
    return rc;
}

/* In the child: stdout to the pipe, then the shell. Never returns. */
static void secret_child(int pipe_fd[2], const char *command)
{
    close(pipe_fd[0]);
    if (dup2(pipe_fd[1], STDOUT_FILENO) < 0)
        _exit(126);
    close(pipe_fd[1]);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
}

/* Waits for the child; returns its exit status, or -1. */
static int secret_reap(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int gcp_secret__run_command(char **out, const char *command,
                            struct gcp_err *err)
{
    int pipe_fd[2];
    pid_t pid;
    int rc, status;

    *out = NULL;
    if (pipe(pipe_fd) != 0)
        return gcp_err__set(err, GCP_EIO, "cannot run the secret command: %s",
                            strerror(errno));
    if ((pid = fork()) == 0)
        secret_child(pipe_fd, command);
    close(pipe_fd[1]);
    rc = pid < 0 ? GCP_EIO : secret_slurp(out, pipe_fd[0]);
    close(pipe_fd[0]);
    status = pid < 0 ? -1 : secret_reap(pid);
    if (rc == 0 && status != 0) {
        gcp_wipe_free(*out);
        *out = NULL;
        rc = GCP_EIO;
    }
    if (rc != 0)
        return gcp_err__set(err, rc == GCP_EINVALID ? rc : GCP_EIO,
                            "the secret command failed (exit status %d)",
                            status);
    return secret_nonempty(out, "the secret command", err);
}
