/* Common includes for the cmocka unit tests. */
#ifndef GS_TEST_H
#define GS_TEST_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
