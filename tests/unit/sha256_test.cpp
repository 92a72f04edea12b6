#include <catch2/catch.hpp>

#include <string>

#include "support/sha256.hpp"

// Test vectors of FIPS 180-4's examples and NIST's short- and long-message
// tests, plus agreement between one update and many.
TEST_CASE("SHA-256 matches the standard's test vectors", "[sha256]") {
  using cadence::sha256_hex;
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 gives the same digest however the message is split", "[sha256]") {
  std::string message;
  for (int i = 0; i < 300; ++i) message += static_cast<char>('a' + i % 26);
  const std::string whole = cadence::sha256_hex(message);
  for (std::size_t piece : {1U, 3U, 55U, 56U, 63U, 64U, 65U, 127U}) {
    cadence::Sha256 hash;
    for (std::size_t at = 0; at < message.size(); at += piece) hash.update(std::string_view(message).substr(at, piece));
    INFO(piece);
    CHECK(hash.hex_digest() == whole);
  }
}
