#ifndef GS_TABLE_H
#define GS_TABLE_H

#include <stdio.h>

#include "session.h"

/* The terminal report: a header naming the interpreter, its GIL status and the
 * core count, then one aligned table per workload. Colour only when asked
 * (the caller decides: a terminal, and NO_COLOR unset). */

void gs_table_header(FILE *f, const gs_session *s, int color);

/* Prints the table of workload w from the aggregated cells. */
void gs_table_workload(FILE *f, const gs_session *s, size_t w, int color);

/* Formats a duration in seconds into buf: in s, or with unit_ms in ms (in µs
 * below 1 ms). */
void gs_table_fmt_time(char *buf, size_t cap, double seconds, int unit_ms);

/* Formats a byte count as "12.3 MiB" (or KiB/GiB) into buf. */
void gs_table_fmt_bytes(char *buf, size_t cap, int64_t bytes);

#endif
