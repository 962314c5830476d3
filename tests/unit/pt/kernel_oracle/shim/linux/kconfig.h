#include <kshim.h>
