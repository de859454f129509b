"""Early warning: lead-time models and forecasts of open orders.

- ``_outlook``: :class:`LeadTimeModel` (protocol), :class:`DelayOutlook`, :class:`ForecastBasis`.
- ``_history``: :class:`DelayPrior` and :class:`LaneHistory`, what the built-in model knows.
- ``_leadtime``: the built-in :class:`EmpiricalLeadTimeModel` (fit, ETA, history, prior).
- ``_forecast``: :class:`Forecast` and :func:`forecast_orders`.
"""

from custadvocacy._forecast._forecast import Forecast, forecast_orders
from custadvocacy._forecast._history import DelayPrior, LaneHistory
from custadvocacy._forecast._leadtime import MIN_OBSERVATIONS, EmpiricalLeadTimeModel
from custadvocacy._forecast._outlook import DelayOutlook, ForecastBasis, LeadTimeModel

__all__ = [
    "MIN_OBSERVATIONS",
    "DelayOutlook",
    "DelayPrior",
    "EmpiricalLeadTimeModel",
    "Forecast",
    "ForecastBasis",
    "LaneHistory",
    "LeadTimeModel",
    "forecast_orders",
]
