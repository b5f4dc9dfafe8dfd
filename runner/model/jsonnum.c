#include "jsonnum.h"

#include <math.h>

json_t *gs_json_num(double x, int *nonfinite) {
    if (isfinite(x)) return json_real(x);
    if (nonfinite) (*nonfinite)++;
    return json_null();
}
