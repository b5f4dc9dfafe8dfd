"""The result checksum (gilscope_harness.checksum)."""

import pickle
import unittest

import harness_testlib  # noqa: F401 (puts the harness on sys.path)
from gilscope_harness import checksum as checksum_module
from gilscope_harness.checksum import checksum


class Checksum(unittest.TestCase):
    canonical = staticmethod(checksum_module.canonical)

    def test_equal_values_equal_encodings(self):
        self.assertEqual(self.canonical({"b": 1, "a": [1, 2]}), self.canonical({"a": [1, 2], "b": 1}))
        self.assertEqual(self.canonical({3, 1, 2}), self.canonical(frozenset([2, 3, 1])))
        self.assertEqual(self.canonical(b"xy"), self.canonical(bytearray(b"xy")))
        big = 10 ** 5000  # more digits than int -> str allows on 3.11+
        self.assertEqual(self.canonical(big), self.canonical(10 ** 5000))

    def test_different_values_differ(self):
        values = [None, True, False, 0, 1, 1.0, -1, "1", b"1", [1], (1,), {1}, {1: 1}, [[1]],
                  [1, 2], [12], ["1", "2"], ["12"], "", b"", [], (), {}, 0.1, -0.0, 2 ** 64]
        encodings = [self.canonical(v) for v in values]
        self.assertEqual(len(set(encodings)), len(values))

    def test_survives_pickling_like_process_results(self):
        results = [{"k": (1, 2.5, "s")}, {frozenset([1, 2]), "x"}, None, [b"\x00", 3 ** 70]]
        self.assertEqual(checksum(results), checksum(pickle.loads(pickle.dumps(results))))

    def test_cycles_and_other_objects(self):
        a = [1]
        a.append(a)
        self.canonical(a)  # terminates
        self.assertEqual(self.canonical(complex(1, 2)), self.canonical(complex(1, 2)))
        self.assertRegex(checksum([1]), "^[0-9a-f]{64}$")


if __name__ == "__main__":
    unittest.main()
