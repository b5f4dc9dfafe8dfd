#ifndef GS_WARN_H
#define GS_WARN_H

#include <jansson.h>
#include <stddef.h>

#include "session.h"

/* Warnings about how far the figures can be trusted, each saying how to fix
 * its cause. A pure function of the session: machine warnings read the
 * report's metadata (machine.h), never the machine itself.
 *   machine   load average at start above half the cores; a CPU frequency
 *             governor other than "performance";
 *   workload  fewer measured runs than a 95% interval of the median needs (6);
 *   cell      a coefficient of variation above 5% (noisy); outlier runs
 *             (modified z-score above 3.5); a median wall under 1 ms (too
 *             short to time well against interpreter jitter).
 * Returns a JSON array of {scope, workload, strategy, workers, kind, message}
 * (workload/strategy/workers null when they do not apply); w == (size_t)-1
 * selects every workload, else only machine warnings and workload w's. */
json_t *gs_warnings(const gs_session *s, size_t w);

#endif
