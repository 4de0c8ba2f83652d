"""The command line's own words in Chinese: command and option help, click's headings and errors.

The English help stays beside each option in ``cli.py`` (it is what
``--lang en`` shows); these replace it for Chinese users. Keys are a
command's name, or ``command.parameter`` for one of its options; ``*.name``
applies to that option on every command.
"""

from __future__ import annotations

from collections.abc import Mapping

HELP_ZH: Mapping[str, str] = {
    "": "把案件文件夹里的照片、扫描件和 PDF 整理成一份逾期还款协商材料包（完全离线）。",
    "build": "为 CASE_DIR 生成材料包，放到 OUT/<案件名>/（材料不全时退出码为 5，仍生成草稿）。",
    "check": "只检查 CASE_DIR：分类并列出缺少什么，不写任何文件（不全时退出码为 5）。",
    "init": "新建案件文件夹 CASE_DIR：带注释的 case.toml、各类材料的文件夹和使用说明.txt。",
    "demo": "用附带的示例案件（虚构的人）生成一份材料包，放到 OUT/demo/。",
    "watch": "监视 INBOX（默认 ./inbox）：每个子文件夹是一个案件，文件一有变化就重新生成到 OUT。",
    "serve": "打开本机网页（INBOX 默认 ./inbox）：案件、问答填写、上传照片、生成和下载。",
    "*.lang": "提示语言：zh（简体中文，默认）或 en（英文）。也可设置 PACKAGER_LANG=en。",
    "*.no_ocr": "不读取页面文字（不按内容分类，不按文字自动转正）。PACKAGER_OCR=0 效果相同。",
    "*.no_clean": "照片原样放入（不裁到纸边、不拉平、不把底色变白）。PACKAGER_CLEAN=0 效果相同。",
    "*.as_json": "在标准输出打印 JSON（manifest），其余提示写到标准错误。",
    "*.help": "显示本帮助并退出。",
    "*.version": "显示版本号并退出。",
    "build.out": "输出位置；材料包放在 OUT/<案件名>/（默认：inbox/ 旁边的 out/）。",
    "build.profile": "输出方式，用逗号分隔：upload（网上上传：限大小的 PDF 和逐页图片）、"
    "mail（邮寄：带封面的打印版）。",
    "build.max_mb": "上传 PDF 的大小上限（MB，1 MB = 1,000,000 字节）；优先于 case.toml 的 "
    "[output] upload_max_mb（默认 10）。",
    "build.gray": "上传版用灰度（更小；红章会变灰）。",
    "build.duplex": "邮寄版：插入空白页，让每份材料都从正面开始（双面打印用）。",
    "check.profile": "按哪种输出方式检查：upload、mail（mail 需要两个地址）。",
    "demo.out": "输出位置；示例放在 OUT/demo/。",
    "init.example": "建立一个填好的示例案件（虚构的人），照着它填写自己的案件。",
    "watch.out": "输出位置；每个案件放在 OUT/<案件名>/（不能在 INBOX 里面）。",
    "watch.polling": "定时查看，不用系统通知（网络盘 NFS/SMB/FUSE 上会自动这样做）。",
    "watch.once": "把所有需要更新的案件生成一遍，然后退出。",
    "watch.settle": "案件文件夹多少秒不再变化才开始生成。",
    "watch.rescan": "每隔多少秒完整检查一遍（防止漏掉变化）。",
    "serve.out": "输出位置；每个案件生成到 OUT/<案件名>/。",
    "serve.host": "网页监听的本机地址。",
    "serve.port": "网页端口。",
    "serve.lan": "也让同一 Wi-Fi 下的手机打开：给出带密钥的网址和二维码。",
    "serve.no_browser": "不自动打开浏览器。",
    "*.reread": "所有页面重新读取（整理照片、识别文字），不用 OUT/.cache 里已读过的结果，"
    "并把新结果存回去。",
    "check.out": "输出位置；已读过的页面存在 OUT/.cache，生成时不必再读"
    "（默认：inbox/ 旁边的 out/）。",
}

HEADINGS_ZH: Mapping[str, str] = {
    "Usage": "用法",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
}

ERRORS_ZH: Mapping[str, str] = {
    "missing": "缺少 {name}：请写出它，例如 {example}",
    "no_such_option": "没有这个选项：{name}",
    "bad_value": "{name} 的值不对：{detail}",
    "no_such_command": "没有这个命令：{name}。可用的命令：{commands}",
    "other": "命令写得不对：{detail}",
    "see_help": "运行 {command} --help 查看用法。",
}
