#ifndef GS_FIT_H
#define GS_FIT_H

#include <jansson.h>
#include <stddef.h>

#include "session.h"

/* Scaling-law fits of a speedup curve S(n) over worker counts n.
 *
 * Amdahl:  S(n) = 1 / (s + (1 - s) / m)
 * USL:     S(n) = m / (1 + sigma (m - 1) + kappa m (m - 1))
 *
 * where m = min(n, cores) when the model knows the core count (CPU-bound
 * work: past the core count the cores run out, which is not a serial
 * fraction), else m = n. Both are fitted by linear least squares on their
 * linearised forms (Amdahl: 1/S - 1/m = s (1 - 1/m); USL: m/S - 1 =
 * sigma (m - 1) + kappa m (m - 1)); parameters come with their standard
 * errors, r2 is computed on S itself. */
typedef struct gs_fit {
    int ok;               /* enough points to fit */
    int cores_aware;      /* m = min(n, cores) */
    double s, s_se;       /* Amdahl serial fraction */
    double r2_amdahl;
    int usl_ok;           /* three or more distinct m */
    double sigma, sigma_se, kappa, kappa_se;
    double r2_usl;
    size_t points;
} gs_fit;

/* Fits the points (n[i], S[i]). cores <= 0 means the model ignores cores. */
void gs_fit_curve(const double *n, const double *S, size_t k, int cores, gs_fit *out);

/* The Amdahl prediction at n workers, with the interval from s ± its
 * standard error. */
double gs_fit_amdahl_at(const gs_fit *f, double n, int cores, double *lo, double *hi);

/* The fits of workload w: one object per strategy with three or more
 * worker counts measured (DESIGN: strategy, model, parameters with
 * uncertainty, r2, "good" (gs_fit_good), predictions marked extrapolated). NULL-free: an empty array when none. */
json_t *gs_fit_workload(const gs_session *s, size_t w, int *nonfinite);

/* Whether a fit holds: r2 >= 0.8 and a serial fraction s in [0, 1]. */
int gs_fit_good(double r2, double s);

/* Two lines per fitted strategy of a workload (three worker counts or more),
 * for the terminal table, or one when the fit does not hold ("more workers
 * made it slower", or no model fits): the
 * parameters of the report's "fits" of that workload, what they mean, and
 * the extrapolated prediction. The caller frees the returned string (NULL
 * when nothing was fitted). */
char *gs_fit_describe_report(json_t *report, const char *workload);

#endif
