#ifndef GS_JSONNUM_H
#define GS_JSONNUM_H

#include <jansson.h>

/* Figures in the JSON report. JSON has no infinity and no NaN (jansson's
 * json_real refuses them, and a json_pack "f" given one fails as a whole):
 * such a figure is written as null and counted, so that the report can say
 * how many it had (metadata.nonfinite_values, and a warning). */

/* x as a JSON real; null when x is infinite or not a number, then adding one
 * to *nonfinite (nonfinite may be NULL: not counted). A new reference. */
json_t *gs_json_num(double x, int *nonfinite);

#endif
