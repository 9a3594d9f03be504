"""The case types Yunting's workflows use (DOMAIN.md §Case numbers), as data for the seed migration."""

CASE_TYPES = [
    # code, name, category, default procedure, standard code
    ("民初", "民事一审", "civil", "ordinary", "0301"),
    ("民终", "民事二审", "civil", "second_instance", "0302"),
    ("民特", "民事特别程序", "civil", "special", "0309"),
    ("民督", "申请支付令", "civil", "payment_order", ""),
    ("民诉前调", "诉前调解", "mediation", "pre_litigation", "9901"),
    ("财保", "诉前财产保全", "preservation", "non_litigation", "0901"),
    ("执", "首次执行", "enforcement", "enforcement", "1002"),
    ("执保", "财产保全执行", "enforcement", "enforcement", "1004"),
    ("执异", "执行异议", "enforcement", "enforcement", "1005"),
    ("刑更", "刑罚与执行变更", "criminal", "sentence_change", "0224"),
    ("行初", "行政一审", "administrative", "ordinary", "0401"),
    ("破", "破产", "bankruptcy", "bankruptcy", ""),
]

CAUSES = [
    # code, name, category
    ("MS-0001", "民间借贷纠纷", "civil"),
    ("MS-0002", "金融借款合同纠纷", "civil"),
    ("MS-0003", "信用卡纠纷", "civil"),
    ("MS-0004", "房屋租赁合同纠纷", "civil"),
    ("MS-0005", "买卖合同纠纷", "civil"),
    ("MS-0006", "劳动争议", "civil"),
    ("MS-0007", "离婚纠纷", "civil"),
    ("MS-0008", "机动车交通事故责任纠纷", "civil"),
    ("MS-0009", "物业服务合同纠纷", "civil"),
    ("MS-0010", "建设工程施工合同纠纷", "civil"),
    ("MS-0011", "侵害作品信息网络传播权纠纷", "civil"),
    ("MS-0012", "申请司法确认调解协议", "civil"),
    ("ZX-0001", "申请执行人民调解协议", "enforcement"),
    ("ZX-0002", "借款合同纠纷执行", "enforcement"),
    ("XS-0001", "减刑", "criminal"),
    ("XS-0002", "假释", "criminal"),
    ("XZ-0001", "行政处罚", "administrative"),
    ("PC-0001", "破产清算", "bankruptcy"),
    ("BQ-0001", "申请诉前财产保全", "preservation"),
]
