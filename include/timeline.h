#ifndef GS_TIMELINE_H
#define GS_TIMELINE_H
#include <jansson.h>
#include <stdio.h>
#include "threadstate.h"
/* A task's start on the thread that ran it (a tick on its lane). */
typedef struct gs_task_mark {
    pid_t pid, tid;
    uint64_t t_ns;
} gs_task_mark;

/* One cell's timeline: one lane per worker thread over the strategy window. */
typedef struct gs_timeline_panel {
    const char *title;      /* e.g. "cpu · threads × 2 · last run" */
    uint64_t t0_ns, t1_ns;  /* the window (CLOCK_MONOTONIC ns) */
    const gs_lane *lanes;   /* lanes[i].segs are inside [t0_ns, t1_ns] */
    size_t nlanes;
    uint64_t axis_ns;       /* the time axis's length: panels compared share one; 0 or less than the window: the window */
    const gs_task_mark *marks; /* task starts, drawn as ticks on their lanes (may be NULL) */
    size_t nmarks;
} gs_timeline_panel;
/* Writes one self-contained SVG document (no script, no external resource) with a heading, a legend of every state (colour + gs_state_label), and one panel per entry: a title, one horizontal lane per thread labelled for people — lanes of one process "main thread" (tid == pid) and "worker thread 1", 2, ...; lanes of several processes "worker process 1", 2, ... (" · thread" for a thread that is not the process's main one) — with "pid P · tid T" in the label's <title>, each segment a <rect> filled with its state's colour and carrying a <title> tooltip "STATE t0–t1 ms", and a time axis in milliseconds from the window start with 4–8 "nice" ticks (1/2/5 × 10^k). Text is XML-escaped. Returns 0, or -1 if a write to f failed. */
int gs_timeline_write_svg(FILE *f, const char *heading, const gs_timeline_panel *panels, size_t n);

/* The timelines recorded in a JSON report (runs whose "timeline" is not null;
 * only those of workload unless it is NULL; the panels of one workload on
 * one time axis, the longest of their windows, so a shorter run looks shorter),
 * one panel per run titled "WORKLOAD · STRATEGY × N · diagnostic run sampled
 * at H Hz" (with "· SOURCE" in a merged report), under a heading naming the
 * interpreter. When the report has none, writes the heading alone if
 * even_if_empty is set, else nothing. A malformed timeline is left out.
 * Returns the number of panels, or -1 if a write failed or memory ran out. */
int gs_timeline_write_report(FILE *f, json_t *report, const char *workload, int even_if_empty);
#endif
