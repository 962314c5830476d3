#include_next <linux/limits.h>
#include <kshim.h>
