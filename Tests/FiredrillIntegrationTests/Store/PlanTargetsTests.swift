import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// The targets a plan's acting steps name, as the cross-runner target lock keys them.
struct PlanTargetsTests {
    static func targets(_ body: String, binding: String = "environment: test") throws -> [PlanTarget] {
        let plan = try PlanFixture.load("""
            apiVersion: firedrill/v1
            kind: Experiment
            name: targets
            title: targets
            \(binding)
            secrets:
              orders-dsn: { env: TEST_ORDERS_DSN }
            steady-state:
              - name: alive
                command: [true]
            \(body)
            """)
        let resolver = Resolver(environment: ["TEST_ORDERS_DSN": "postgresql://app:pa55word@10.0.0.5:6432/orders?sslmode=require"],
                                secrets: ["orders-dsn": "postgresql://app:pa55word@10.0.0.5:6432/orders?sslmode=require"])
        return PlanTargets.targets(of: plan, resolve: { resolver.substitute($0, maskSecrets: false) }, mask: resolver.mask, hostName: "runner-1")
    }

    @Test func actingStepsNameTheirTargetsWithDefaultsAndRollbacksAndCommandsNameNone() throws {
        let found = try Self.targets("""
            method:
              - kubernetes.pod-delete: { selector: app=api }
              - parallel:
                  - process.kill: { match: "postgres: checkpointer" }
                  - flood.postgres: { dsn: "${secret.orders-dsn}", connections: 10, hold: 5s }
              - command: [echo, hi]
              - kubernetes.pod-delete: { selector: app=api }
            rollbacks:
              - kubernetes.scale: { deployment: api, replicas: 3 }
            """)
        #expect(found.map(\.text) == [
            "flood dsn=10.0.0.5:6432/orders",
            "kubernetes namespace=default selector=app=api",
            "process host=runner-1 match=postgres: checkpointer",
        ])
        // The DSN's password is part of no target, shown or hashed.
        #expect(found.allSatisfy { !$0.text.contains("pa55word") })
        #expect(Set(found.map(\.lockName)).count == 3 && found.allSatisfy { $0.lockName.hasPrefix("firedrill.target:") })
    }

    @Test func networkAndRedisFaultsNameTheirTargetsAndWatchingStepsNameNone() throws {
        let found = try Self.targets("""
            method:
              - network.proxy: { listen: 127.0.0.1:15432, upstream: 127.0.0.1:5432, latency: 100ms }
              - redis.pause-clients: { address: 127.0.0.1:6379, for: 1s }
              - name: settled
                until: { probe: { tcp: { host: 127.0.0.1, port: 5432 } }, every: 1s, timeout: 10s }
              - name: go
                manual: { prompt: go ahead?, timeout: 1m }
            """)
        #expect(found.map(\.text) == [
            "network host=runner-1 listen=127.0.0.1:15432",
            "redis address=127.0.0.1:6379",
        ])
    }

    @Test func theBoundKubeContextScopesKubernetesTargetsAndTheSameTargetFromAnotherPlanHasTheSameLock() throws {
        let bound = try Self.targets("""
            method:
              - kubernetes.drain: { node: worker-3 }
              - kubernetes.scale: { namespace: shop, deployment: api, replicas: 0 }
            """, binding: "environment: { name: staging, kube-context: staging-eu }")
        #expect(bound.map(\.text) == [
            "kubernetes context=staging-eu namespace=shop deployment=api",
            "kubernetes context=staging-eu node=worker-3",
        ])
        let again = try Self.targets("""
            method:
              - kubernetes.scale: { namespace: shop, deployment: api, replicas: 5 }
            """, binding: "environment: { name: staging, kube-context: staging-eu }")
        #expect(again.first?.lockName == bound.first?.lockName)
        let elsewhere = try Self.targets("""
            method:
              - kubernetes.scale: { namespace: shop, deployment: api, replicas: 5 }
            """, binding: "environment: { name: staging, kube-context: staging-us }")
        #expect(elsewhere.first?.lockName != bound.first?.lockName)
    }

    @Test func aDSNIsReducedToHostPortAndDatabaseInBothForms() {
        #expect(PlanTargets.dsnIdentity("postgresql://u:secret@db.internal/orders") == "db.internal:5432/orders")
        #expect(PlanTargets.dsnIdentity("host=10.1.2.3 port=6543 dbname=app user=x password=secret") == "10.1.2.3:6543/app")
        #expect(PlanTargets.urlIdentity("https://api.example.com/health?token=abc") == "api.example.com:443")
    }
}
