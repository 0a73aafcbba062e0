#!/usr/bin/env bash
# Installs what Firedrill's build, tests and demo need, skipping whatever is already there.
# Usage: scripts/install-deps.sh [build|test|demo]
set -euo pipefail

what="${1:-test}"
build_pkgs=(libcurl4-openssl-dev libpq-dev libssl-dev libsqlite3-dev pkg-config)
demo_pkgs=(procps)
test_pkgs=(postgresql postgresql-contrib prometheus chromium nginx-light wrk pgbackrest procps python3-pip time systemd redis-server socat iproute2)

case "$what" in
  build) pkgs=("${build_pkgs[@]}") ;;
  demo) pkgs=("${build_pkgs[@]}" "${demo_pkgs[@]}") ;;
  test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|demo]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$what" = test ]; then
  # The AWS driver tests run the real aws CLI against moto_server.
  if ! command -v moto_server >/dev/null 2>&1 || ! python3 -c "import moto.server, flask_cors" >/dev/null 2>&1; then
    echo "installing: moto[server]"
    python3 -m pip install --quiet --disable-pip-version-check 'moto[server]'
  fi
  if ! command -v aws >/dev/null 2>&1; then
    echo "installing: awscli"
    python3 -m pip install --quiet --disable-pip-version-check awscli
  fi
  # The schedule export tests validate the Kubernetes manifests against the Kubernetes schemas.
  if ! command -v kubernetes-validate >/dev/null 2>&1; then
    echo "installing: kubernetes-validate"
    python3 -m pip install --quiet --disable-pip-version-check kubernetes-validate
  fi
fi
echo "dependencies ok ($what)"
