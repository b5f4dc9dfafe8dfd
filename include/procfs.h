#ifndef GS_PROCFS_H
#define GS_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The fields gilscope reads from /proc/PID/stat. */
typedef struct gs_proc_stat {
    pid_t pid;
    char state;          /* R, S, D, Z, ... */
    pid_t ppid;
    pid_t pgrp;
    pid_t session;
    uint64_t utime;      /* clock ticks */
    uint64_t stime;
    uint64_t cutime;
    uint64_t cstime;
    int64_t num_threads;
    uint64_t starttime;
    int64_t rss_pages;
} gs_proc_stat;

/* Parses the text of a /proc/PID/stat file. The command name is in parentheses
 * and may itself contain spaces and parentheses, so parsing starts after the
 * last ')'. Returns 0, or -1 when the text is not a stat line. */
int gs_procfs_parse_stat(const char *text, size_t len, gs_proc_stat *out);

/* A process's memory from /proc/PID/smaps_rollup (Linux 4.14+), in bytes:
 * PSS (each page divided among the processes that share it) and USS (its
 * private pages: Private_Clean + Private_Dirty + Private_Hugetlb). */
typedef struct gs_proc_mem {
    int64_t pss_bytes;
    int64_t uss_bytes;
} gs_proc_mem;

/* Parses the text of a smaps_rollup file. Returns 0, or -1 when it holds no
 * Pss line. */
int gs_procfs_parse_smaps_rollup(const char *text, gs_proc_mem *out);

/* Reads /proc/PID/stat. Returns 0, or -1 (errno set; ENOENT/ESRCH when the
 * process is gone). */
int gs_procfs_read_stat(pid_t pid, gs_proc_stat *out);

/* Calls cb for every process of session sid that is not a zombie, until cb
 * returns non-zero. Returns how many were found. Processes that vanish while
 * the directory is walked are skipped. */
int gs_procfs_each_in_session(pid_t sid, int (*cb)(void *ctx, const gs_proc_stat *st), void *ctx);

/* Sends sig to every live process of session sid. Returns how many. */
int gs_procfs_signal_session(pid_t sid, int sig);

/* Kills (SIGKILL) every live process of session sid and waits up to wait_ms
 * for them to be gone (zombies count as gone). Returns how many were alive
 * when it was called. */
int gs_procfs_kill_session(pid_t sid, int wait_ms);

/* Waits up to wait_ms for session sid to have no live process. Returns how
 * many are still alive then (0 at once when none was). */
int gs_procfs_wait_session_empty(pid_t sid, int wait_ms);

#endif
