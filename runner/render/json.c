#include "exports.h"

/* The JSON report as indented JSON, floats at full precision (never rounded
 * for display), with a final newline. */
int gs_export_json(json_t *report, FILE *f) {
    if (json_dumpf(report, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0 || fputc('\n', f) == EOF) return -1;
    return ferror(f) ? -1 : 0;
}
