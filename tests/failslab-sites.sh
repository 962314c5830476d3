#!/bin/sh
# tests/failslab-sites.sh: every function `failslab function=` offers
# (sim/optable.c a_failslab) is a site the model fails by that name
# (fault_should_fail(..., "NAME") or iommufd_should_fail(..., "NAME")),
# so the verb can never arm a site nothing asks. Run from the source root.
set -eu
cd "$(dirname "$0")/.."
choices=$(sed -n '/a_failslab\[\]/,/END,/p' sim/optable.c |
	grep -o '"[^"]*"' | tr -d '"' | grep -v '^function$' | tr -d '\n' | tr '|' ' ')
[ -n "$choices" ] || { echo "no failslab choices found"; exit 1; }
bad=0
for c in $choices; do
	if ! grep -rqE "_should_fail\([^\"]*\"$c\"\)" model; then
		echo "failslab function=$c: no model site of that name"
		bad=1
	fi
done
echo "failslab sites: $(echo $choices | wc -w) checked"
exit $bad
