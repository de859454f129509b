"""Impact estimators: what an incident costs the customer, itemised, with a range.

The package is private; its public names are re-exported from :mod:`custadvocacy`
(results, protocol, composition) and :mod:`custadvocacy.estimators` (the built-ins).

- ``_model``: the results (:class:`Impact`, :class:`LossItem`, :class:`Assumption`),
  the :class:`ImpactEstimator` protocol and :class:`EstimatorCapabilities`.
- ``_formulas``: every formula once, over floats or numpy arrays alike.
- ``_defaults``: documented defaults by segment and the spreads of the ranges.
- ``_inputs``: turning a customer's, order's and incident's fields into inputs
  (central value, P10, P90) and the assumptions that name them.
- ``_common``: helpers the built-ins share (reference checks, durations, line items).
- ``_delivery``, ``_defect``, ``_services``: the built-in estimators.
- ``_compose``: :class:`EstimatorSet`, :func:`default_estimators`, :func:`estimate_impacts`.
- ``_text``: :func:`format_impact`.
"""
