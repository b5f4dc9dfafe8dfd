/* Common includes for the cmocka unit tests. */
#ifndef GS_TEST_H
#define GS_TEST_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "strategy.h"

/* A strategy by name: tests name strategies as a user does. */
#define ST(name) gs_strategy_find((name), (size_t)-1)
#endif
