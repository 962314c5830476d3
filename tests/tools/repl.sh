#!/usr/bin/env bash
# tests/tools/repl.sh IOMMUSIM: `iommusim repl` driven as a person would,
# in tmux (send-keys, capture-pane): tab completion of verbs, argument
# names, devices and handles; results with the kernel's reason; state,
# why, undo; save, then `iommusim run --strict` replays the file with every
# expectation holding. Expected results from Linux 7.3's
# drivers/iommu/iommu.c: iommu_device_claim_dma_owner() refuses while
# e1000e counts in owner_cnt (-EPERM); after the unbind the claim moves
# the group to its blocking domain (__iommu_take_dma_ownership()).
set -u
bin=$1
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
command -v tmux >/dev/null || { echo "tmux is needed (Debian package tmux)"; exit 1; }
sock=iommusim-repl-test-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

# the screen, each line without the trailing blanks capture-pane may trim
screen() { tm capture-pane -p -t repl | sed 's/[[:space:]]*$//'; }
# wait_for REGEX: until the screen shows it (10 s at most)
wait_for() {
	for _ in $(seq 100); do
		screen | grep -qE -- "$1" && { ok; return; }
		sleep 0.1
	done
	bad "screen never showed: $1"
	screen | tail -15
}
type_keys() { tm send-keys -t repl "$@"; }

tm new-session -d -s repl -x 180 -y 50 \
	"$bin repl scenarios/tutorial/04-dma-ownership.scn; sleep 30"
wait_for 'the machine of the file is booted'
wait_for '^iommusim>$'

# completion: a verb, an argument name, a device
type_keys 'iommu_device_cl' Tab
wait_for '^iommusim> iommu_device_claim_dma_owner$'
type_keys 'd' Tab
wait_for '^iommusim> iommu_device_claim_dma_owner dev=$'
type_keys 'n' Tab
wait_for '^iommusim> iommu_device_claim_dma_owner dev=nic$'
type_keys 'owner=vfio' Enter
wait_for '^-> EPERM$'
wait_for 'why: +iommu_device_claim_dma_owner: .*owner_cnt 1'
type_keys 'why' Enter
wait_for '^line 6 \(iommu_device_claim_dma_owner, -> EPERM\):$'

type_keys 'driver_unbind dev=nic' Enter
wait_for 'nic: driver none'
type_keys 'iommu_device_claim_dma_owner dev=nic owner=vfio' Enter
wait_for '^-> ok$'
type_keys 'state' Enter
wait_for '^\* +iommu group 1 +domain: blocking, .*owner: vfio, owner_cnt: 1; devices nic$'

# a handle completes once bound; undo drops the last statement
type_keys 'iommu_paging_domain_alloc dev=nic out_domain=$d' Enter
wait_for '^iommusim> iommu_paging_domain_alloc dev=nic out_domain=\$d$'
type_keys 'iommu_domain_free do' Tab
wait_for '^iommusim> iommu_domain_free domain=$'
type_keys '$' Tab
wait_for '^iommusim> iommu_domain_free domain=\$d$'
type_keys C-u 'undo' Enter
wait_for '^undone: iommu_paging_domain_alloc dev=nic out_domain=\$d$'

# help VERB: its arguments and the 7.3 function it models (the row's
# .kfunc, test_optable holds it against the 7.3 tree)
type_keys 'help iommu_attach_group' Enter
wait_for '^  Linux 7.3: iommu_attach_group\(\) in drivers/iommu/iommu.c$'
wait_for '^    dev +a device$'

type_keys "save $tmp/session.scn" Enter
wait_for "^saved 8 statements to $tmp/session.scn\$"
type_keys 'quit' Enter

has "$tmp/session.scn" '^iommu_device_claim_dma_owner dev=nic owner=vfio => EPERM$'
has "$tmp/session.scn" '^iommu_device_claim_dma_owner dev=nic owner=vfio => ok$'
"$bin" run --strict "$tmp/session.scn" >"$tmp/run.txt" 2>&1 && ok ||
	{ bad "the saved session does not replay"; cat "$tmp/run.txt"; }
has "$tmp/run.txt" "session.scn: 8 steps, 0 failed"

# the same help from the command line; a typo is bad input
"$bin" help VFIO_IOMMU_MAP_DMA >"$tmp/help.txt" && ok || bad "help exit"
has "$tmp/help.txt" '^  Linux 7.3: vfio_dma_do_map\(\) in drivers/vfio/vfio_iommu_type1.c$'
has "$tmp/help.txt" '^ +iommufd_vfio_map_dma\(\) in drivers/iommu/iommufd/vfio_compat.c$'
"$bin" help iommu_atach_group >"$tmp/help.txt"
[ $? = 2 ] && ok || bad "help of an unknown verb: exit 2"
has "$tmp/help.txt" "did you mean iommu_attach_group"

summary repl
