// GENERATED from data-manifests/timit/ -- do not edit by hand. Regenerate at the repository root with:
//   sh -c 'printf "%s\n" "$(sed -n "1,/^\/\/ END HEADER/p" Sources/Corpus/TimitData.swift)"; for p in \
//     phones.61-48-39.map:phoneMapText dev_spk.list:devSpeakerListText test_spk.list:testSpeakerListText \
//     dev_utt.list:devUtteranceListText test_utt.list:testUtteranceListText; do f=${p%%:*}; n=${p##*:}; \
//     printf "\n    /// Contents of data-manifests/timit/%s.\n    public static let %s = #\"\"\"\n" $f $n; \
//     cat data-manifests/timit/$f; printf "\n\"\"\"#\n"; done; echo "}"' > TimitData.new && mv TimitData.new Sources/Corpus/TimitData.swift
// EmbeddedDataTests checks that every literal below equals its file byte for byte.

/// The TIMIT data files of data-manifests/timit/, embedded so an installed binary needs no data folder.
public enum TimitData {
// END HEADER

    /// Contents of data-manifests/timit/phones.61-48-39.map.
    public static let phoneMapText = #"""
aa	aa	aa
ae	ae	ae
ah	ah	ah
ao	ao	aa
aw	aw	aw
ax	ax	ah
ax-h	ax	ah
axr	er	er
ay	ay	ay
b	b	b
bcl	vcl	sil
ch	ch	ch
d	d	d
dcl	vcl	sil
dh	dh	dh
dx	dx	dx
eh	eh	eh
el	el	l
em	m	m
en	en	n
eng	ng	ng
epi	epi	sil
er	er	er
ey	ey	ey
f	f	f
g	g	g
gcl	vcl	sil
h#	sil	sil
hh	hh	hh
hv	hh	hh
ih	ih	ih
ix	ix	ih
iy	iy	iy
jh	jh	jh
k	k	k
kcl	cl	sil
l	l	l
m	m	m
n	n	n
ng	ng	ng
nx	n	n
ow	ow	ow
oy	oy	oy
p	p	p
pau	sil	sil
pcl	cl	sil
q
r	r	r
s	s	s
sh	sh	sh
t	t	t
tcl	cl	sil
th	th	th
uh	uh	uh
uw	uw	uw
ux	uw	uw
v	v	v
w	w	w
y	y	y
z	z	z
zh	zh	sh

"""#

    /// Contents of data-manifests/timit/dev_spk.list.
    public static let devSpeakerListText = #"""
faks0
fdac1
fjem0
mgwt0
mjar0
mmdb1
mmdm2
mpdf0
fcmh0
fkms0
mbdg0
mbwm0
mcsh0
fadg0
fdms0
fedw0
mgjf0
mglb0
mrtk0
mtaa0
mtdt0
mthc0
mwjg0
fnmr0
frew0
fsem0
mbns0
mmjr0
mdls0
mdlf0
mdvc0
mers0
fmah0
fdrw0
mrcs0
mrjm4
fcal1
mmwh0
fjsj0
majc0
mjsw0
mreb0
fgjd0
fjmg0
mroa0
mteb0
mjfc0
mrjr0
fmml0
mrws1

"""#

    /// Contents of data-manifests/timit/test_spk.list.
    public static let testSpeakerListText = #"""
mdab0
mwbt0
felc0
mtas1
mwew0
fpas0
mjmp0
mlnt0
fpkt0
mlll0
mtls0
fjlm0
mbpm0
mklt0
fnlp0
mcmj0
mjdh0
fmgd0
mgrt0
mnjm0
fdhc0
mjln0
mpam0
fmld0

"""#

    /// Contents of data-manifests/timit/dev_utt.list.
    public static let devUtteranceListText = #"""
fadg0_si1279
fadg0_si1909
fadg0_si649
fadg0_sx109
fadg0_sx19
fadg0_sx199
fadg0_sx289
fadg0_sx379
faks0_si1573
faks0_si2203
faks0_si943
faks0_sx133
faks0_sx223
faks0_sx313
faks0_sx403
faks0_sx43
fcal1_si1403
fcal1_si2033
fcal1_si773
fcal1_sx143
fcal1_sx233
fcal1_sx323
fcal1_sx413
fcal1_sx53
fcmh0_si1454
fcmh0_si2084
fcmh0_si824
fcmh0_sx104
fcmh0_sx14
fcmh0_sx194
fcmh0_sx284
fcmh0_sx374
fdac1_si1474
fdac1_si2104
fdac1_si844
fdac1_sx124
fdac1_sx214
fdac1_sx304
fdac1_sx34
fdac1_sx394
fdms0_si1218
fdms0_si1502
fdms0_si1848
fdms0_sx138
fdms0_sx228
fdms0_sx318
fdms0_sx408
fdms0_sx48
fdrw0_si1283
fdrw0_si1423
fdrw0_si653
fdrw0_sx113
fdrw0_sx203
fdrw0_sx23
fdrw0_sx293
fdrw0_sx383
fedw0_si1084
fedw0_si1653
fedw0_si1714
fedw0_sx184
fedw0_sx274
fedw0_sx364
fedw0_sx4
fedw0_sx94
fgjd0_si1179
fgjd0_si549
fgjd0_si818
fgjd0_sx189
fgjd0_sx279
fgjd0_sx369
fgjd0_sx9
fgjd0_sx99
fjem0_si1264
fjem0_si1894
fjem0_si634
fjem0_sx184
fjem0_sx274
fjem0_sx364
fjem0_sx4
fjem0_sx94
fjmg0_si1181
fjmg0_si1811
fjmg0_si551
fjmg0_sx101
fjmg0_sx11
fjmg0_sx191
fjmg0_sx281
fjmg0_sx371
fjsj0_si1484
fjsj0_si2114
fjsj0_si854
fjsj0_sx134
fjsj0_sx224
fjsj0_sx314
fjsj0_sx404
fjsj0_sx44
fkms0_si1490
fkms0_si2120
fkms0_si860
fkms0_sx140
fkms0_sx230
fkms0_sx320
fkms0_sx410
fkms0_sx50
fmah0_si1289
fmah0_si1919
fmah0_si659
fmah0_sx119
fmah0_sx209
fmah0_sx29
fmah0_sx299
fmah0_sx389
fmml0_si1040
fmml0_si1670
fmml0_si2300
fmml0_sx140
fmml0_sx230
fmml0_sx320
fmml0_sx410
fmml0_sx50
fnmr0_si1399
fnmr0_si2029
fnmr0_si769
fnmr0_sx139
fnmr0_sx229
fnmr0_sx319
fnmr0_sx409
fnmr0_sx49
frew0_si1030
frew0_si1280
frew0_si1910
frew0_sx110
frew0_sx20
frew0_sx200
frew0_sx290
frew0_sx380
fsem0_si1198
fsem0_si1828
fsem0_si568
fsem0_sx118
fsem0_sx208
fsem0_sx28
fsem0_sx298
fsem0_sx388
majc0_si1946
majc0_si2095
majc0_si835
majc0_sx115
majc0_sx205
majc0_sx25
majc0_sx295
majc0_sx385
mbdg0_si1463
mbdg0_si2093
mbdg0_si833
mbdg0_sx113
mbdg0_sx203
mbdg0_sx23
mbdg0_sx293
mbdg0_sx383
mbns0_si1220
mbns0_si1850
mbns0_si590
mbns0_sx140
mbns0_sx230
mbns0_sx320
mbns0_sx410
mbns0_sx50
mbwm0_si1304
mbwm0_si1934
mbwm0_si674
mbwm0_sx134
mbwm0_sx224
mbwm0_sx314
mbwm0_sx404
mbwm0_sx44
mcsh0_si1549
mcsh0_si2179
mcsh0_si919
mcsh0_sx109
mcsh0_sx19
mcsh0_sx199
mcsh0_sx289
mcsh0_sx379
mdlf0_si1583
mdlf0_si2213
mdlf0_si953
mdlf0_sx143
mdlf0_sx233
mdlf0_sx323
mdlf0_sx413
mdlf0_sx53
mdls0_si1628
mdls0_si2258
mdls0_si998
mdls0_sx188
mdls0_sx278
mdls0_sx368
mdls0_sx8
mdls0_sx98
mdvc0_si2174
mdvc0_si2196
mdvc0_si936
mdvc0_sx126
mdvc0_sx216
mdvc0_sx306
mdvc0_sx36
mdvc0_sx396
mers0_si1019
mers0_si1649
mers0_si497
mers0_sx119
mers0_sx209
mers0_sx29
mers0_sx299
mers0_sx389
mgjf0_si1901
mgjf0_si641
mgjf0_si776
mgjf0_sx101
mgjf0_sx11
mgjf0_sx191
mgjf0_sx281
mgjf0_sx371
mglb0_si1534
mglb0_si2164
mglb0_si904
mglb0_sx184
mglb0_sx274
mglb0_sx364
mglb0_sx4
mglb0_sx94
mgwt0_si1539
mgwt0_si2169
mgwt0_si909
mgwt0_sx189
mgwt0_sx279
mgwt0_sx369
mgwt0_sx9
mgwt0_sx99
mjar0_si1988
mjar0_si2247
mjar0_si728
mjar0_sx188
mjar0_sx278
mjar0_sx368
mjar0_sx8
mjar0_sx98
mjfc0_si1033
mjfc0_si1663
mjfc0_si2293
mjfc0_sx133
mjfc0_sx223
mjfc0_sx313
mjfc0_sx403
mjfc0_sx43
mjsw0_si1010
mjsw0_si1640
mjsw0_si2270
mjsw0_sx110
mjsw0_sx20
mjsw0_sx200
mjsw0_sx290
mjsw0_sx380
mmdb1_si1625
mmdb1_si2255
mmdb1_si995
mmdb1_sx185
mmdb1_sx275
mmdb1_sx365
mmdb1_sx5
mmdb1_sx95
mmdm2_si1452
mmdm2_si1555
mmdm2_si2082
mmdm2_sx102
mmdm2_sx12
mmdm2_sx192
mmdm2_sx282
mmdm2_sx372
mmjr0_si1648
mmjr0_si2166
mmjr0_si2278
mmjr0_sx118
mmjr0_sx208
mmjr0_sx28
mmjr0_sx298
mmjr0_sx388
mmwh0_si1089
mmwh0_si1301
mmwh0_si459
mmwh0_sx189
mmwh0_sx279
mmwh0_sx369
mmwh0_sx9
mmwh0_sx99
mpdf0_si1542
mpdf0_si2172
mpdf0_si912
mpdf0_sx102
mpdf0_sx12
mpdf0_sx192
mpdf0_sx282
mpdf0_sx372
mrcs0_si1223
mrcs0_si1853
mrcs0_si593
mrcs0_sx143
mrcs0_sx233
mrcs0_sx323
mrcs0_sx413
mrcs0_sx53
mreb0_si1375
mreb0_si2005
mreb0_si745
mreb0_sx115
mreb0_sx205
mreb0_sx25
mreb0_sx295
mreb0_sx385
mrjm4_si1489
mrjm4_si2119
mrjm4_si859
mrjm4_sx139
mrjm4_sx229
mrjm4_sx319
mrjm4_sx409
mrjm4_sx49
mrjr0_si1182
mrjr0_si1812
mrjr0_si2313
mrjr0_sx102
mrjr0_sx12
mrjr0_sx192
mrjr0_sx282
mrjr0_sx372
mroa0_si1307
mroa0_si1970
mroa0_si677
mroa0_sx137
mroa0_sx227
mroa0_sx317
mroa0_sx407
mroa0_sx47
mrtk0_si1093
mrtk0_si1723
mrtk0_si1750
mrtk0_sx103
mrtk0_sx13
mrtk0_sx193
mrtk0_sx283
mrtk0_sx373
mrws1_si1130
mrws1_si1496
mrws1_si500
mrws1_sx140
mrws1_sx230
mrws1_sx320
mrws1_sx410
mrws1_sx50
mtaa0_si1285
mtaa0_si1915
mtaa0_si596
mtaa0_sx115
mtaa0_sx205
mtaa0_sx25
mtaa0_sx295
mtaa0_sx385
mtdt0_si1994
mtdt0_si2254
mtdt0_si994
mtdt0_sx184
mtdt0_sx274
mtdt0_sx364
mtdt0_sx4
mtdt0_sx94
mteb0_si1133
mteb0_si2064
mteb0_si503
mteb0_sx143
mteb0_sx233
mteb0_sx323
mteb0_sx413
mteb0_sx53
mthc0_si1015
mthc0_si1645
mthc0_si2275
mthc0_sx115
mthc0_sx205
mthc0_sx25
mthc0_sx295
mthc0_sx385
mwjg0_si1124
mwjg0_si1754
mwjg0_si494
mwjg0_sx134
mwjg0_sx224
mwjg0_sx314
mwjg0_sx404
mwjg0_sx44

"""#

    /// Contents of data-manifests/timit/test_utt.list.
    public static let testUtteranceListText = #"""
fdhc0_si1559
fdhc0_si2189
fdhc0_si929
fdhc0_sx119
fdhc0_sx209
fdhc0_sx29
fdhc0_sx299
fdhc0_sx389
felc0_si1386
felc0_si2016
felc0_si756
felc0_sx126
felc0_sx216
felc0_sx306
felc0_sx36
felc0_sx396
fjlm0_si1043
fjlm0_si1673
fjlm0_si2303
fjlm0_sx143
fjlm0_sx233
fjlm0_sx323
fjlm0_sx413
fjlm0_sx53
fmgd0_si1564
fmgd0_si2194
fmgd0_si934
fmgd0_sx124
fmgd0_sx214
fmgd0_sx304
fmgd0_sx34
fmgd0_sx394
fmld0_si2185
fmld0_si822
fmld0_si925
fmld0_sx115
fmld0_sx205
fmld0_sx25
fmld0_sx295
fmld0_sx385
fnlp0_si1308
fnlp0_si1938
fnlp0_si678
fnlp0_sx138
fnlp0_sx228
fnlp0_sx318
fnlp0_sx408
fnlp0_sx48
fpas0_si1272
fpas0_si2204
fpas0_si944
fpas0_sx134
fpas0_sx224
fpas0_sx314
fpas0_sx404
fpas0_sx44
fpkt0_si1538
fpkt0_si2168
fpkt0_si908
fpkt0_sx188
fpkt0_sx278
fpkt0_sx368
fpkt0_sx8
fpkt0_sx98
mbpm0_si1577
mbpm0_si1584
mbpm0_si947
mbpm0_sx137
mbpm0_sx227
mbpm0_sx317
mbpm0_sx407
mbpm0_sx47
mcmj0_si1094
mcmj0_si464
mcmj0_si602
mcmj0_sx104
mcmj0_sx14
mcmj0_sx194
mcmj0_sx284
mcmj0_sx374
mdab0_si1039
mdab0_si1669
mdab0_si2299
mdab0_sx139
mdab0_sx229
mdab0_sx319
mdab0_sx409
mdab0_sx49
mgrt0_si1450
mgrt0_si2080
mgrt0_si820
mgrt0_sx10
mgrt0_sx100
mgrt0_sx190
mgrt0_sx280
mgrt0_sx370
mjdh0_si1354
mjdh0_si1984
mjdh0_si724
mjdh0_sx184
mjdh0_sx274
mjdh0_sx364
mjdh0_sx4
mjdh0_sx94
mjln0_si1449
mjln0_si2079
mjln0_si819
mjln0_sx189
mjln0_sx279
mjln0_sx369
mjln0_sx9
mjln0_sx99
mjmp0_si1535
mjmp0_si1791
mjmp0_si905
mjmp0_sx185
mjmp0_sx275
mjmp0_sx365
mjmp0_sx5
mjmp0_sx95
mklt0_si1213
mklt0_si1843
mklt0_si583
mklt0_sx133
mklt0_sx223
mklt0_sx313
mklt0_sx403
mklt0_sx43
mlll0_si1363
mlll0_si1993
mlll0_si733
mlll0_sx103
mlll0_sx13
mlll0_sx193
mlll0_sx283
mlll0_sx373
mlnt0_si1574
mlnt0_si1902
mlnt0_si642
mlnt0_sx102
mlnt0_sx12
mlnt0_sx192
mlnt0_sx282
mlnt0_sx372
mnjm0_si1580
mnjm0_si2210
mnjm0_si950
mnjm0_sx140
mnjm0_sx230
mnjm0_sx320
mnjm0_sx410
mnjm0_sx50
mpam0_si1189
mpam0_si1819
mpam0_si1961
mpam0_sx109
mpam0_sx19
mpam0_sx199
mpam0_sx289
mpam0_sx379
mtas1_si1473
mtas1_si2098
mtas1_si838
mtas1_sx118
mtas1_sx208
mtas1_sx28
mtas1_sx298
mtas1_sx388
mtls0_si1370
mtls0_si2000
mtls0_si740
mtls0_sx110
mtls0_sx20
mtls0_sx200
mtls0_sx290
mtls0_sx380
mwbt0_si1553
mwbt0_si2183
mwbt0_si923
mwbt0_sx113
mwbt0_sx203
mwbt0_sx23
mwbt0_sx293
mwbt0_sx383
mwew0_si1361
mwew0_si1991
mwew0_si731
mwew0_sx101
mwew0_sx11
mwew0_sx191
mwew0_sx281
mwew0_sx371

"""#
}
