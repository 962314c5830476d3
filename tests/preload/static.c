// SPDX-License-Identifier: MIT
/* A statically linked program: `iommusim exec` must refuse it (there is
 * no dynamic loader to preload the shim into). */
int main(void)
{
	return 0;
}
