/*
 * rusage.c: runs a command and writes what it cost, for bench/run.sh
 * (GNU time is not installed on a fresh Debian, and sampling /proc misses
 * a short peak). wait4() gives the child's own figures, whatever it does.
 *
 *   bench_rusage OUT_FILE COMMAND [ARGS...]
 *
 * OUT_FILE gets one line of key=value figures:
 *
 *   wall_s=12.345 user_s=1.200 sys_s=0.300 maxrss_kib=5120 status=0
 *
 * The command's stdin, stdout and stderr are left alone. The exit status
 * is the command's (128 + N when signal N ended it; 127 when it could not
 * be started; 2 on bad usage; 1 when OUT_FILE cannot be written).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double seconds_of(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* The exit status a shell would report for `wstatus`. */
static int shell_status(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : 1;
}

static int report(const char *path, double wall, const struct rusage *ru,
                  int status)
{
    FILE *fp = fopen(path, "w");

    if (fp == NULL) {
        perror("bench_rusage: cannot write the figures");
        return -1;
    }
    fprintf(fp, "wall_s=%.3f user_s=%.3f sys_s=%.3f maxrss_kib=%ld status=%d\n",
            wall, seconds_of(ru->ru_utime), seconds_of(ru->ru_stime),
            ru->ru_maxrss, status);
    if (ferror(fp) | fclose(fp)) {
        perror("bench_rusage: cannot write the figures");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct rusage ru;
    double start;
    int wstatus, status;
    pid_t pid;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_rusage OUT_FILE COMMAND [ARGS...]\n");
        return 2;
    }
    start = now_seconds();
    pid = fork();
    if (pid < 0) {
        perror("bench_rusage: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("bench_rusage: cannot run the command");
        _exit(127);
    }
    while (wait4(pid, &wstatus, 0, &ru) < 0)
        ;
    status = shell_status(wstatus);
    if (report(argv[1], now_seconds() - start, &ru, status) < 0)
        return 1;
    return status;
}
