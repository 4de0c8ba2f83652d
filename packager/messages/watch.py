"""The watcher's status lines and its reasons to refuse to start."""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

WATCH: Mapping[str, Mapping[Lang, str]] = {
    # --- packager watch ---------------------------------------------------
    "WATCH_NO_INBOX": {
        "zh": "收件箱文件夹 {inbox} 不存在。请先创建它（每个案件一个子文件夹），"
        "或在命令中写明收件箱位置：{command} watch 收件箱路径",
        "en": "The inbox folder {inbox} does not exist. Create it (one sub-folder per case) "
        "or name it: {command} watch INBOX",
    },
    "WATCH_OUT_IN_INBOX": {
        "zh": "输出文件夹 {out} 位于收件箱 {inbox} 之内，生成的文件会被当成新材料反复处理。"
        "请用 -o 指定收件箱以外的文件夹，例如 -o out",
        "en": "The output folder {out} is inside the inbox {inbox}; built files would be "
        "picked up as new scans again and again. Choose an -o outside the inbox, e.g. -o out",
    },
    "WATCH_INBOX_IN_OUT": {
        "zh": "收件箱 {inbox} 位于输出文件夹 {out} 之内，生成材料包时可能覆盖您的案件文件夹。"
        "请让两者互不包含，例如 {command} watch inbox -o out",
        "en": "The inbox {inbox} is inside the output folder {out}; publishing a bundle "
        "could replace your case folders. Keep them apart, e.g. {command} watch inbox -o out",
    },
    "WATCH_START": {
        "zh": "开始监视 {inbox}（{mode}），材料包输出到 {out}。文件停止变化 {settle} 秒后自动生成；"
        "按 Ctrl+C 停止。",
        "en": "Watching {inbox} ({mode}); bundles go to {out}, built {settle} s after "
        "the last change. Ctrl+C stops.",
    },
    "WATCH_POLLING_AUTO": {
        "zh": "{inbox} 位于网络或 FUSE 文件系统（{fstype}），收不到变化通知，改为每秒轮询检查。",
        "en": "{inbox} is on a network or FUSE file system ({fstype}), where change events "
        "do not arrive; polling once a second instead.",
    },
    "WATCH_POLLING_FALLBACK": {
        "zh": "系统拒绝提供文件变化通知（{error}），改为轮询检查。"
        "如需恢复即时通知，可用 sysctl 调高 fs.inotify.max_user_watches。",
        "en": "The system refused change notifications ({error}); polling instead. "
        "Raise fs.inotify.max_user_watches with sysctl to get them back.",
    },
    "WATCH_UP_TO_DATE": {
        "zh": "{case}：材料包已是最新，无需重新生成。",
        "en": "{case}: bundle is up to date.",
    },
    "WATCH_BUILT": {
        "zh": "{case}：{pages} 页 · {state} · 用时 {seconds} 秒 · 错误 {error} · 警告 {warning} · "
        "提示 {info} → {out_dir}",
        "en": "{case}: {pages} pages · {state} · {seconds} s · errors {error} · "
        "warnings {warning} · info {info} → {out_dir}",
    },
    "WATCH_NOTABLE": {"zh": "需要看：{items}", "en": "look at: {items}"},
    "WATCH_MODE_NATIVE": {"zh": "即时通知", "en": "native events"},
    "WATCH_MODE_POLLING": {"zh": "轮询", "en": "polling"},
    "WATCH_MODE_ONCE": {"zh": "单次，处理完即退出", "en": "once, then exit"},
    "WATCH_COMPLETE": {"zh": "材料齐全", "en": "complete"},
    "WATCH_DRAFT": {"zh": "草稿（材料不全）", "en": "draft (incomplete)"},
    "WATCH_FAILED": {
        "zh": "{case}：未能生成材料包。{error}\n改好后保存即可自动重新生成；"
        "已有的材料包不受影响，其他案件照常处理。",
        "en": "{case}: not built. {error}\nFix it and save: the case is rebuilt by itself. "
        "Any earlier bundle is kept; other cases go on.",
    },
    "WATCH_CRASHED": {
        "zh": "生成过程意外中止（{error}），可能是某个文件损坏或过大。已重新启动生成进程。",
        "en": "The build process ended unexpectedly ({error}), perhaps on a damaged or "
        "huge file. It has been restarted.",
    },
    "WATCH_WAITING": {
        "zh": "{case}：{file} 还没写完或正被其他程序占用（{detail}），{retry} 秒后再看。",
        "en": "{case}: {file} is still being written or is in use ({detail}); "
        "looking again in {retry} s.",
    },
    "WATCH_NOT_READY": {
        "zh": "{case}：{file} 一直被其他程序占用，本次未生成。请关闭占用它的程序后重试。",
        "en": "{case}: {file} stayed in use by another program; not built this time. "
        "Close that program and try again.",
    },
    "WATCH_REMOVED": {
        "zh": "{case}：案件文件夹已移走；输出文件夹中的材料包保留不动。",
        "en": "{case}: the case folder is gone; its bundle in the output folder is kept.",
    },
    "WATCH_ABANDONED": {
        "zh": "{case}：因停止监视放弃了正在进行的生成，原有材料包保持不变；下次启动时会重新生成。",
        "en": "{case}: build abandoned on stop; the previous bundle is unchanged and "
        "the next start rebuilds it.",
    },
    "WATCH_OBSERVER_RESTARTED": {
        "zh": "文件监视中断（{error}），已重新开始监视并全面检查一遍。",
        "en": "File watching stopped ({error}); restarted it and rescanning everything.",
    },
    "WATCH_INBOX_MISSING": {
        "zh": "收件箱 {inbox} 暂时不可用（被移走或网络共享断开），等待它恢复……",
        "en": "The inbox {inbox} is unavailable (moved, or the share dropped); waiting for it …",
    },
    "WATCH_STOP": {"zh": "已停止监视。", "en": "Stopped watching."},
}
