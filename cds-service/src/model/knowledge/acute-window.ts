/**
 * The current-encounter window: acute conditions (and qSOFA/SIRS) read only vitals, symptoms and
 * labs recorded this many hours before `now`. Three days covers an admission's first readings and
 * a clinic visit's same-week labs without reviving last month's fever.
 */
export const ACUTE_WINDOW_HOURS = 72;
