# Firedrill in a container, for the Kubernetes CronJobs `firedrill schedule export --kubernetes` writes.
# Multi-stage: the Swift toolchain builds a release binary with the Swift runtime linked in; the runtime stage is
# Debian slim with only the shared libraries the binary links (libcurl, libpq, libssl, libsqlite3) and the CLIs the drivers
# shell out to (kubectl, aws, psql/pg_* tools).
# Not built in this repository's CI: see docs/drill-program.md ("The container image").

FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4-openssl-dev libpq-dev libssl-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product firedrill --static-swift-stdlib \
 && install -D "$(swift build -c release --show-bin-path)/firedrill" /out/firedrill

FROM debian:bookworm-slim
ARG KUBECTL_VERSION=v1.31.4
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl libcurl4 libpq5 libssl3 libsqlite3-0 postgresql-client procps python3 python3-venv tzdata \
 && python3 -m venv /opt/aws && /opt/aws/bin/pip install --no-cache-dir awscli && ln -s /opt/aws/bin/aws /usr/local/bin/aws \
 && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
 && chmod 0755 /usr/local/bin/kubectl \
 && apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/firedrill /usr/local/bin/firedrill
# The CronJob mounts the plans at /plans and an emptyDir at /var/lib/firedrill/reports; the history goes to the store named by
# FIREDRILL_STORE (from a Secret), so nothing of value stays in the pod.
RUN useradd --system --uid 10001 --home-dir /var/lib/firedrill --create-home firedrill
USER 10001
WORKDIR /var/lib/firedrill
ENTRYPOINT ["/usr/local/bin/firedrill"]
CMD ["--help"]
