#!/usr/bin/env bash
# tests/view/report.sh IOMMUSIM: `iommusim report` pages opened in headless
# Chromium (Debian's chromium) as a reader would: the page's text read back
# from the browser's DOM, and a screenshot taken. Expected content comes
# from the scenarios and the 7.3 code they cite:
#  - ownership/device-claim-vs-kernel-driver.scn line 20: the claim is
#    refused by iommu_device_claim_dma_owner() (owner_cnt != 0 -> -EPERM).
#  - amdv1/map-dma-unmap-paging-domain.scn line 23: a 2 MiB map at a 2 MiB
#    aligned IOVA and PA is one level-1 leaf (map_range() picks the largest
#    page size both are aligned to), read-write; line 28's dump shows it
#    as the L1 table's item [001] and the read-only 4K page at 0x10000 as
#    the L0 table's item [010] (IR without IW), each table its own HTML
#    table (the AMDv1 format: generic_pt fmt/amdv1.h).
set -u
bin=$1
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

chromium=$(command -v chromium || command -v chromium-browser) ||
	{ echo "chromium is needed (Debian package chromium)"; exit 1; }
browse() { # browse ARGS... URL: headless, no sandbox (root), own profile
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/chromium" "$@" 2>/dev/null
}

own=scenarios/ownership/device-claim-vs-kernel-driver.scn
map=scenarios/amdv1/map-dma-unmap-paging-domain.scn
"$bin" report -o "$tmp/out" "$own" "$map" >/dev/null || bad "report exit $?"
ownp=$tmp/out/scenarios-ownership-device-claim-vs-kernel-driver.html
mapp=$tmp/out/scenarios-amdv1-map-dma-unmap-paging-domain.html

browse --dump-dom "file://$tmp/out/index.html" >"$tmp/index.dom"
has "$tmp/index.dom" "href=\"$(basename "$ownp")\">$own<"
has "$tmp/index.dom" "href=\"$(basename "$mapp")\">$map<"

browse --dump-dom "file://$ownp" >"$tmp/own.dom"
# one section per statement of the file
want=$(grep -cvE '^[[:space:]]*(#|$)' "$own")
got=$(grep -c '<section class="step' "$tmp/own.dom")
[ "$want" = "$got" ] && ok || bad "$want statements, $got sections"
tr -d '\n' <"$tmp/own.dom" | grep -o 'id="line-20".*' | sed 's|</section>.*||' \
	>"$tmp/line20"
has "$tmp/line20" 'returned <b>EPERM</b>'
has "$tmp/line20" 'refused by <code>iommu_device_claim_dma_owner\(\)</code>'
has "$tmp/own.dom" '<svg '
has "$tmp/own.dom" 'owner: vfio'
# self-contained: no script, no external resource
grep -qE '<script|<link|src="http|url\(http' "$ownp" && bad "not self-contained" || ok

browse --dump-dom "file://$mapp" >"$tmp/map.dom"
tr -d '\n' <"$tmp/map.dom" | grep -o 'id="line-23".*' | sed 's|</section>.*||' \
	>"$tmp/line23"
has "$tmp/line23" '<caption>\$d: AMDv1'
has "$tmp/line23" '<td>0x200000</td><td>2M</td><td>0x40000000</td><td>rw</td><td>L1</td>'

tr -d '\n' <"$tmp/map.dom" | grep -o 'id="line-28".*' | sed 's|</section>.*||' \
	>"$tmp/line28"
has "$tmp/line28" '<caption>L1 table 0x[0-9a-f]+ \(AMD level 2\)</caption>'
has "$tmp/line28" '<td>\[001\]</td><td>0x7000000040000001</td><td>0x200000</td><td>PTE</td><td>0</td><td>page 0x40000000</td><td>0x200000</td><td>IR IW FC </td>'
has "$tmp/line28" '<caption>L0 table 0x[0-9a-f]+ \(AMD level 1\)</caption>'
has "$tmp/line28" '<td>\[010\]</td><td>0x3000000005000001</td><td>0x10000</td><td>PTE</td><td>0</td><td>page 0x5000000</td><td>0x1000</td><td>IR FC </td>'

browse --window-size=1280,2000 --screenshot="$tmp/own.png" "file://$ownp" >/dev/null
size=$(stat -c %s "$tmp/own.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] && ok || bad "screenshot: $size bytes"
[ "$(head -c 4 "$tmp/own.png" | tail -c 3)" = PNG ] && ok || bad "no PNG"
[ -n "${KEEP_SCREENSHOT:-}" ] && cp "$tmp/own.png" "$KEEP_SCREENSHOT"

expect_exit 2 "report without -o" "$bin" report "$own"
expect_exit 2 "bad input" "$bin" report -o "$tmp/bad" tests/bad/duplicate-device.scn
[ ! -e "$tmp/bad/index.html" ] && ok || bad "bad input wrote an index"

summary report
