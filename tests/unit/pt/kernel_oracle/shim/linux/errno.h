#include_next <linux/errno.h>
#include <kshim.h>
