"""Word lists the name rules use: legal forms, organisation words, person cues and given names.

Kept apart from the rules so they can grow without touching code; all lookups are on token text.
"""

from __future__ import annotations

# Legal forms that close a company name ("Sky Trading Co., Ltd.", "Mikro-Tek Ltd. Şti.", "Delta GmbH").
SUFFIX_FORMS = frozenset({
    "LLC", "L.L.C.", "Ltd", "Ltd.", "LTD", "Limited", "LIMITED", "Co", "Co.", "CO", "CO.", "Inc", "Inc.", "INC",
    "Corp", "Corp.", "Corporation", "Company", "JSC", "OJSC", "PJSC", "CJSC", "GmbH", "AG", "SA", "S.A.", "SRL",
    "S.R.L.", "SL", "S.L.", "B.V.", "BV", "N.V.", "NV", "Oy", "OY", "OU", "OÜ", "AB", "AS", "A.S.", "A.Ş.", "AŞ",
    "Şti", "Şti.", "STI", "FZE", "FZCO", "FZC", "FZ-LLC", "DMCC", "LLP", "LP", "Pte", "PTE", "Kft", "Kft.", "SRO",
    "s.r.o.", "Bhd", "Sdn", "PLC", "plc", "Sirketi", "Şirketi", "SIRKETI", "OOO", "LLE", "Establishment",
    "Reg", "Tarsasag", "Odpowiedzialnoscia", "SARL", "S.A.R.L.", "GK", "Holding", "Holdings", "Sp.", "o.o.",
    "SIA", "UAB", "SPA", "S.p.A.", "SpA", "S.R.O.", "CJSC", "OY", "Pty", "KG", "Sti", "Tic", "San",
})
# Legal forms written before the name ("OOO Sertal", "LLC Symphony", "JSC NGT", "Aktsionernoe Obshchestvo ...").
PREFIX_FORMS = frozenset({
    "OOO", "ООО", "LLC", "JSC", "OJSC", "PJSC", "CJSC", "AO", "АО", "PAO", "ZAO", "OAO", "TOO", "OsOO", "IP",
    "FGUP", "NPO", "NPP", "NPK", "NII", "TD", "Aktsionernoe", "Zakrytoe", "Otkrytoe", "Publichnoe",
    "Obshchestvo", "Obshchestvom", "Nauchno", "Federal", "Limited", "Joint", "Public", "Closed", "Open",
})
# Multi-word prefix forms: a following name belongs to the company ("Limited Liability Company Kvazar").
PREFIX_PHRASES = (
    ("Limited", "Liability", "Company"), ("Joint", "Stock", "Company"), ("Public", "Joint", "Stock", "Company"),
    ("Closed", "Joint", "Stock", "Company"), ("Open", "Joint", "Stock", "Company"),
    ("Aktsionernoe", "Obshchestvo"), ("Aktsionernoe", "Obshchestvo"), ("Publichnoe", "Aktsionernoe", "Obshchestvo"),
    ("Zakrytoe", "Aktsionernoe", "Obshchestvo"), ("Obshchestvo", "S", "Ogranichennoi", "Otvetstvennostyu"),
)
# Words that make a capitalised run an organisation ("Sky Bridge Trading", "Matriks Elektronika").
ORG_WORDS = frozenset({
    "Trading", "Trade", "Technology", "Technologies", "Tech", "Electronics", "Electronic", "Elektronika",
    "Elektroniks", "Group", "Grupp", "Industries", "Industry", "Industrial", "Logistics", "Logistic", "Systems",
    "Engineering", "Components", "Komponent", "Komponenty", "Semiconductor", "Semiconductors", "Microelectronics",
    "Aviation", "Aerospace", "Corporation", "Enterprises", "Enterprise", "International", "Import", "Export",
    "Supply", "Supplies", "Solutions", "Plant", "Factory", "Works", "Bureau", "Institute", "Instruments",
    "Devices", "Dynamics", "Machinery", "Machines", "Makina", "Motors", "Motor", "Power", "Automation",
    "Concern", "Holding", "Holdings", "Ventures", "Capital", "Consulting", "Partners", "Services", "Service",
    "Servis", "Distribution", "Distributors", "Shipping", "Freight", "Cargo", "Express", "Development",
    "Investments", "Aero", "Avia", "Tekhnika", "Tekhnologii", "Mikro", "Micro", "Telecom", "Optics", "Sanayi",
    "Ticaret", "Dis", "Pazarlama", "Mekhatronika", "Pribor", "Avtomatika", "Chip", "Chips", "Robotics",
    "Navigation", "Radio", "Laboratories", "Labs", "Resources", "Energy", "Security", "Defense", "Defence",
    "Arms", "Armaments", "Ordnance", "Design", "Research", "University", "Center", "Centre", "Bank",
})
# Common nouns that, right before a capitalised run, say it names an organisation ("Russian importer Kvazar").
ORG_CUES = frozenset({
    "company", "companies", "firm", "firms", "distributor", "distributors", "supplier", "suppliers", "manufacturer",
    "manufacturers", "maker", "makers", "importer", "importers", "exporter", "exporters", "subsidiary",
    "subsidiaries", "trader", "traders", "entity", "entities", "enterprise", "vendor", "vendors", "wholesaler",
    "wholesalers", "forwarder", "forwarders", "intermediary", "intermediaries", "shell", "reseller", "resellers",
    "producer", "producers", "developer", "conglomerate", "contractor", "buyer", "buyers", "customer",
    "customers", "front", "consignee", "shipper", "outfit", "startup", "affiliate",
    "house", "partner", "partners", "plant", "network", "based", "registered", "headquartered",
})
# Words right before a person's name ("Russian national Oleg Sidorov", "director Anna Petrova").
PERSON_CUES = frozenset({
    "national", "nationals", "citizen", "citizens", "businessman", "businesswoman", "director", "CEO",
    "executive", "founder", "co-founder", "owner", "chairman", "chairwoman", "president", "manager",
    "shareholder", "Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Ms", "Mrs", "Dr", "entrepreneur", "agent",
    "accountant", "officer", "official", "oligarch", "engineer", "employee", "associate",
    "individual", "individuals", "head", "deputy", "procurement",
})
# A small list of given names (Russian, English, Turkish, Persian, Chinese romanised) for person runs.
GIVEN_NAMES = frozenset("""
Aleksandr Alexander Aleksey Alexey Alexei Anatoly Andrey Andrei Anna Anton Arkady Artem Artyom Boris Dmitry Dmitri
Denis Egor Evgeny Evgeniy Yevgeniy Yevgeny Evgenia Evgeniya Yevgeniya Elena Yelena Fedor Gennady Georgy Grigory
Igor Ilya Irina Ivan Kirill Konstantin Leonid Marat Maria Maxim Mikhail Nadezhda Natalia Natalya Nikita Nikolai
Nikolay Oleg Olga Pavel Pyotr Petr Roman Ruslan Sergey Sergei Stanislav Svetlana Tatiana Tatyana Timur Vadim
Valentin Valery Vasily Viktor Victor Vitaly Vladimir Vladislav Vyacheslav Viacheslav Yaroslav Yuri Yury Zakhar
Tamara Ekaterina Yekaterina Lyudmila Marina Galina Veronika Daria Darya Ksenia Polina Larisa Inna Oksana Kamila
John James Robert Michael David William Richard Thomas Mark Paul Peter George Edward Daniel Steven Stephen Brian
Kevin Jason Eric Emily Sarah Laura Linda Susan Karen Lisa Helen Anne Mary Jennifer Jessica Rachel Kate Nicole
Hans Stefan Klaus Jan Pascal Anselm Dirk Edwin Giulio Marco Luca Pierre Jean Carlos Miguel Jacek Piotr Tomasz
Mehmet Ahmet Mustafa Ali Hasan Huseyin Hüseyin Murat Emre Burak Cem Kemal Hayri Serkan Yusuf Osman Fatih Ayse Elif
Reza Hossein Hamid Hamidreza Mohammad Mohammed Mahmoud Majid Saeed Said Mehdi Abbas Javad Nader Ghassem Seyed
Wei Li Zhang Wang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Zheng Liang Xie Tang Han
Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Jin Fang
Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim
Rustam Farrukh Bakhtiyor Nurlan Askar Daniyar Yerlan Aidar Bakyt Azamat Aibek Arman Tigran Aram Armen Gevorg
""".split())
# Capitalised words that start sentences or clauses but never start a name.
NAME_STOPWORDS = frozenset({
    "The", "A", "An", "In", "On", "At", "By", "From", "For", "To", "Of", "With", "And", "Or", "But", "According",
    "Its", "Their", "His", "Her", "This", "That", "These", "Those", "Last", "Since", "After", "Before", "When",
    "While", "Meanwhile", "However", "Also", "Both", "Each", "Between", "During", "Through", "Via", "As", "Some",
    "Other", "Many", "Several", "Two", "Three", "One", "Records", "Customs", "Data", "Investigators", "Officials",
    "Today", "Yesterday", "Additionally", "Separately", "Further", "Finally", "Lastly", "Specifically",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "It", "They", "He", "She",
    "We", "Our", "Such", "All", "Among", "Under", "Over", "Despite", "Although", "Because", "If", "Then", "Later",
    "Earlier", "Shipments", "Reporting", "Documents", "Invoices", "Until",
    "Mr.", "Ms.", "Mrs.", "Dr.", "Director", "General", "Chief", "Executive", "Russian", "Chinese", "Turkish",
    "President", "Secretary", "Minister", "Deputy", "Chairman", "Prime", "Senator", "Ambassador", "Governor",
})
# Name connectors allowed inside a run when followed by another name word ("Institute of Physics", "Sanayi ve").
CONNECTORS = frozenset({"of", "and", "&", "ve", "z", "de", "der", "for", "named", "After", "s"})
# Adjectives and demonyms: dropped from the start of a name run ("Russian Sky Trading" -> "Sky Trading").
DEMONYMS = frozenset("""
Russian Russians Chinese Turkish Emirati Iranian American Kazakh Kazakhstani Kyrgyz Armenian Uzbek Belarusian
Georgian Tajik Azerbaijani British German French Italian Spanish Dutch Swiss Finnish Estonian Latvian Lithuanian
Polish Czech Maltese Cypriot Indian Singaporean Malaysian Taiwanese Korean Japanese Thai Vietnamese Israeli
Swedish Austrian Ukrainian Syrian Irish Hungarian Serbian Canadian Mexican Bulgarian Greek Mongolian Turkmen
""".split())
# Connectors that end a name right after a legal form ("Delta LLC of Texas", "Alfa Ltd and Beta Ltd").
NAME_ENDERS_AFTER_FORM = frozenset({"of", "and", "&", "for", "in"})
