"""ISO 4217 currency codes and their minor units (decimal places).

The table holds the active codes of ISO 4217 (list one, 2024 edition). Codes whose
minor unit is not 2 are listed with theirs; every other code has 2. Precious metals,
testing and "no currency" codes (XAU, XTS, XXX...) are not money a customer is
billed in, so they are not accepted.
"""

from __future__ import annotations

from typing import Final

_TWO_DECIMALS: Final = (  # noqa: SIM905 - a block of codes reads better than a 160-item list
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
    "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN "
    "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES "
    "WST XCD XCG YER ZAR ZMW ZWG"
).split()

_OTHER_DECIMALS: Final = {
    # zero decimals
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    # three decimals
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # four decimals
    "CLF": 4, "UYW": 4,
}  # fmt: skip

MINOR_UNITS: Final[dict[str, int]] = dict.fromkeys(_TWO_DECIMALS, 2) | _OTHER_DECIMALS
"""ISO 4217 code -> number of decimal places of its minor unit."""
