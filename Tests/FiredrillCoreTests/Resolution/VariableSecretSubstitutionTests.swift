import FiredrillCore
import Testing

/// A var may hold `${secret.…}` and `${env.…}`: they are filled in where the var is used, the secret in clear only
/// for execution and masked wherever it is shown; nothing a var holds is looked up as a var again.
@Suite struct VariableSecretSubstitutionTests {
    static func resolver() -> Resolver {
        var r = Resolver(variables: [
            "dsn": "postgresql://app:${secret.pw}@${env.DB_HOST}/app",
            "loop": "${dsn}",
        ], environment: ["DB_HOST": "127.0.0.1"])
        r.secrets["pw"] = "s3cret-value"
        return r
    }

    @Test func aVarsSecretIsFilledInForExecutionAndMaskedForDisplay() {
        let r = Self.resolver()
        #expect(r.substitute("psql ${dsn}", maskSecrets: false) == "psql postgresql://app:s3cret-value@127.0.0.1/app")
        #expect(r.substitute("psql ${dsn}", maskSecrets: true) == "psql postgresql://app:***@127.0.0.1/app")
    }

    @Test func aVarInsideAVarIsNotLookedUpAgain() {
        // Load resolves vars referencing vars; a reference left in a value is never expanded a second time.
        #expect(Self.resolver().substitute("${loop}", maskSecrets: false) == "${dsn}")
    }
}
