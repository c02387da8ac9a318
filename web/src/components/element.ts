/**
 * The Element Plus components we use, by deep per-component imports with their CSS (full Element Plus would be
 * ~385 KB gzip). ElTable/ElSelect/ElTooltip are avoided on purpose: ElTable alone adds ~37 KB gzip.
 */
import 'element-plus/theme-chalk/base.css';
import 'element-plus/theme-chalk/el-config-provider.css';
import 'element-plus/theme-chalk/el-icon.css';
import 'element-plus/theme-chalk/el-button.css';
import 'element-plus/theme-chalk/el-switch.css';
import 'element-plus/theme-chalk/el-tag.css';
import 'element-plus/theme-chalk/el-dialog.css';
import 'element-plus/theme-chalk/el-overlay.css';
import 'element-plus/theme-chalk/el-alert.css';
import 'element-plus/theme-chalk/el-card.css';

export { ElConfigProvider } from 'element-plus/es/components/config-provider/index.mjs';
export { ElButton } from 'element-plus/es/components/button/index.mjs';
export { ElSwitch } from 'element-plus/es/components/switch/index.mjs';
export { ElTag } from 'element-plus/es/components/tag/index.mjs';
export { ElDialog } from 'element-plus/es/components/dialog/index.mjs';
export { ElAlert } from 'element-plus/es/components/alert/index.mjs';
export { ElCard } from 'element-plus/es/components/card/index.mjs';

/** ElConfigProvider namespace: classes become `cobs-el-*` and variables `--cobs-el-*` (see web/build/css-scope.ts). */
export const EL_NAMESPACE = 'cobs-el';
