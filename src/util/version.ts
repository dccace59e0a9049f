/** This Polarity's version, as package.json gives it (recorded in exported models). */
export const POLARITY_VERSION = '0.1.0';
