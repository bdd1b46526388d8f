#ifndef SWITCHBOARD_COPUS_H
#define SWITCHBOARD_COPUS_H
#include <opus/opus.h>
#endif
