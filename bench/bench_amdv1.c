void bench_amdv1(void) {}
