import { isoTime } from '../protocol/compressed-state.ts';
import type { DemoState } from './compressed-state.ts';
import { haError } from './ha-error.ts';

/** weather/__init__.py `WeatherEntityFeature`. */
const FORECAST_FEATURE: Record<string, number> = { daily: 1, hourly: 2, twice_daily: 4 };
const CONDITIONS = ['sunny', 'partlycloudy', 'cloudy', 'rainy', 'partlycloudy', 'sunny'];
const DAY_S = 86_400;

/**
 * weather/__init__.py `async_get_forecasts_service`: `{"forecast": [...]}` per entity; a forecast
 * type the entity does not support is a HomeAssistantError.
 */
function forecast(st: DemoState, data: Record<string, unknown>): Record<string, unknown> {
  const type = String(data.type);
  const supported = Number(st.attributes.supported_features ?? 0);
  if ((supported & (FORECAST_FEATURE[type] ?? 0)) === 0) {
    throw haError(
      'home_assistant_error',
      `Weather entity '${st.entity_id}' does not support '${type}' forecast`,
    );
  }
  const step = type === 'hourly' ? 3600 : type === 'twice_daily' ? DAY_S / 2 : DAY_S;
  const start = Math.floor(Date.now() / 1000 / step) * step;
  const base = Number(st.attributes.temperature ?? 15);
  const items = CONDITIONS.map((condition, i) => ({
    condition,
    datetime: isoTime(start + (i + 1) * step),
    precipitation: condition === 'rainy' ? 2.4 : 0,
    temperature: Math.round((base + (i % 3)) * 10) / 10,
    templow: Math.round((base - 5 + (i % 2)) * 10) / 10,
    humidity: 60 + i * 3,
    wind_speed: 11.5,
  }));
  return { forecast: items };
}

type ResponseFn = (st: DemoState, data: Record<string, unknown>) => Record<string, unknown>;

/** `domain.service` → per-entity response of services that return one. */
export const RESPONSES: Record<string, ResponseFn> = {
  'weather.get_forecasts': forecast,
};
