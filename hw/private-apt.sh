# Sourced by hw/fetch-*.sh: apt-get and apt-cache on a private state
# directory, so fetching a package from another Debian suite changes
# nothing in the machine's apt configuration (../shared/REFERENCE.md).
#   private_apt_init DIR SUITE [ARCH]
#                                sources for SUITE (the URIs and key of
#                                /etc/apt/sources.list.d/debian.sources),
#                                then apt-get update into DIR; with ARCH
#                                (a Debian architecture, arm64) that
#                                architecture's packages only
#   "${private_apt[@]}"          the options every later apt call takes
private_apt_init() {
	local dir=$1 suite=$2 arch=${3:-} src=/etc/apt/sources.list.d/debian.sources
	local uris signed
	uris=$(awk '/^URIs:/ {print $2; exit}' "$src")
	signed=$(awk '/^Signed-By:/ {print $2; exit}' "$src")
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	rm -f "$dir"/*.sources
	cat >"$dir/$suite.sources" <<EOS
Types: deb
URIs: ${uris:-http://deb.debian.org/debian}
Suites: $suite
Components: main
Signed-By: ${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}
EOS
	private_apt=(-o Dir::Etc::SourceList=/dev/null
		-o "Dir::Etc::SourceParts=$dir" -o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
	[ -z "$arch" ] || private_apt+=(-o "APT::Architecture=$arch"
		-o "APT::Architectures=$arch")
	apt-get "${private_apt[@]}" -qq update >&2
}
