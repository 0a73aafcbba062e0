#ifndef FIREDRILL_CLIBPQ_SHIM_H
#define FIREDRILL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
