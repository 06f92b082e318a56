import CasebookKit
import Crypto
import Testing

struct HexTests {
    @Test func everyByteIsTwoLowercaseDigits() {
        #expect([UInt8]([0x00, 0x0f, 0x10, 0xa5, 0xf0, 0xff]).hexString == "000f10a5f0ff")
        #expect([UInt8]().hexString == "")
    }

    @Test func aDigestReadsAsTheUsualHex() {
        // FIPS 180-2's test vector for SHA-256("abc").
        #expect(SHA256.hash(data: Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
