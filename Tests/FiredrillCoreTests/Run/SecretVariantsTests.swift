import Testing
@testable import FiredrillCore

/// A secret is masked in every form a parser or encoder may print it.
@Suite struct SecretVariantsTests {
    @Test func aSplitSecretIsMaskedPieceByPiece() {
        let resolver = Resolver(environment: [:], secrets: ["pw": "Zq9@Kx7:Pw/Lm3#Tn8"])
        let parserOutput = "user Zq9 host Kx7:Pw/Lm3 port Pw, userinfo canary:Zq9@Kx7:Pw; fragment Lm3#Tn8 whole Zq9@Kx7:Pw/Lm3#Tn8"
        let masked = resolver.mask(parserOutput)
        #expect(masked == "user Zq9 host *** port Pw, userinfo canary:***; fragment *** whole ***")
    }

    @Test func encodedAndDecodedFormsAreMasked() {
        let resolver = Resolver(environment: [:], secrets: ["pw": "p@ss:w0rd/x"])
        #expect(resolver.mask("postgres://u:p%40ss%3Aw0rd%2Fx@db/app") == "postgres://u:***@db/app")
        let encoded = Resolver(environment: [:], secrets: ["pw": "p%40ss%3Aw0rd"])
        #expect(encoded.mask("password p@ss:w0rd rejected") == "password *** rejected")
    }

    @Test func shortPiecesAndPlainSecretsStayPrecise() {
        #expect(SecretVariants.forms(of: "CanaryQ7x9Zr5Mw3Lp2Vn") == ["CanaryQ7x9Zr5Mw3Lp2Vn"])
        let forms = SecretVariants.forms(of: "ab:cd@efghij")
        #expect(forms.contains("efghij"))
        #expect(!forms.contains("ab") && !forms.contains("cd"), "pieces under 6 characters are not masked on their own")
        #expect(SecretVariants.forms(of: String(repeating: "a:", count: 5000)).count <= SecretVariants.maximumForms)
    }
}
