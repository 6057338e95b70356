/**
 * All message catalogs merged. Each area file exports `zh` (the source of keys)
 * and `en` typed against it, so a missing English string is a type error.
 */
import * as common from './messages/common.js';
import * as ops from './messages/ops.js';
import * as workbench from './messages/workbench.js';
import * as grid from './messages/grid.js';
import * as citizen from './messages/citizen.js';

const zh = { ...common.zh, ...ops.zh, ...workbench.zh, ...grid.zh, ...citizen.zh };
export type MessageKey = keyof typeof zh;
const en: Record<MessageKey, string> = { ...common.en, ...ops.en, ...workbench.en, ...grid.en, ...citizen.en };

export const catalogs: Record<'zh-CN' | 'en-US', Record<MessageKey, string>> = { 'zh-CN': zh, 'en-US': en };
