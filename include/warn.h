#ifndef GS_WARN_H
#define GS_WARN_H

#include <jansson.h>
#include <stddef.h>

#include "session.h"

/* Warnings about how far the figures can be trusted, each saying how to fix
 * its cause. A pure function of the session: machine warnings read the
 * report's metadata (machine.h), never the machine itself.
 *   machine   load average at start above half the cores; a CPU frequency
 *             governor other than "performance"; the measured capacity
 *             moving by more than 15% during the session;
 *   workload  fewer measured runs than a 95% interval of the median needs (6);
 *             the cores delivering less than 80% of the usable cores around
 *             its runs (capacity.h);
 *   cell      a coefficient of variation above 5% (noisy); outlier runs
 *             (modified z-score above 3.5), only from 6 measured runs on;
 *             a median wall under 1 ms (too short to time well against
 *             interpreter jitter); cold code (gs_cold_ratio 1.2 or more);
 *             runs with the GIL enabled on a free-threaded interpreter that
 *             started without it (an extension module turned it on).
 * Returns a JSON array of {scope, workload, strategy, workers, kind, cause,
 * message} (workload/strategy/workers null when they do not apply), every
 * warning on its own. cause is the key that groups warnings with the same
 * fix (the terminal prints one line per cause); the warnings of a cause that
 * groups also carry its finding and fix (the same for all of them) and
 * their own detail ("9.0%", or null), from which the grouped line is made
 * (gs_view_warning_groups). w == (size_t)-1 selects every workload, else
 * only machine warnings and workload w's. */
json_t *gs_warnings(const gs_session *s, size_t w);

#endif
